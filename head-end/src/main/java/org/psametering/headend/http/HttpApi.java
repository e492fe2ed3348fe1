package org.psametering.headend.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only HTTP API on the JDK's built-in server (no extra dependency; a handful of GET endpoints needs no
 * framework):
 *
 * <pre>
 * GET /health                               {"status":"UP"}
 * GET /groups                               every group's state
 * GET /groups/{id}                          one group, with its members
 * GET /groups/{id}/members                  ["m1", ...]
 * GET /groups/{id}/aggregates?from=&amp;to=&amp;format=json|csv   results whose step starts in [from, to)
 *                                           (ISO-8601 instants or unix seconds; default: the last 24 hours)
 * GET /rejections                           rejected-message counters by reason
 * GET /metrics                              Prometheus text format
 * </pre>
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<List<GroupStatus>> groups;
    private final ResultStore results;
    private final RejectionCounters rejections;
    private final Supplier<String> metrics;
    private final Clock clock;

    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Clock clock) {
        this.groups = groups;
        this.results = results;
        this.rejections = rejections;
        this.metrics = metrics;
        this.clock = clock;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for HTTP on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("psa-http-", 0).daemon().factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        // not try-with-resources: the catch blocks below still have to answer on the open exchange
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "application/json", error("only GET is supported"));
                return;
            }
            route(exchange);
        } catch (BadRequest e) {
            send(exchange, e.status, "application/json", error(e.getMessage()));
        } catch (StorageException e) {
            LOG.error("HTTP {}: {}", exchange.getRequestURI(), e.getMessage());
            send(exchange, 503, "application/json", error("storage unavailable"));
        } catch (RuntimeException e) {
            LOG.error("HTTP {}: {}", exchange.getRequestURI(), e.toString(), e);
            send(exchange, 500, "application/json", error("internal error"));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] parts = uri.getPath().replaceAll("/+$", "").split("/");
        // parts[0] is "" (leading slash)
        if (parts.length == 2 && parts[1].equals("health")) {
            sendJson(exchange, JSON.createObjectNode().put("status", "UP"));
        } else if (parts.length == 2 && parts[1].equals("metrics")) {
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get().getBytes(StandardCharsets.UTF_8));
        } else if (parts.length == 2 && parts[1].equals("rejections")) {
            ObjectNode node = JSON.createObjectNode();
            rejections.snapshot().forEach((reason, count) -> node.put(reason.name(), count));
            node.put("total", rejections.total());
            sendJson(exchange, node);
        } else if (parts.length == 2 && parts[1].equals("groups")) {
            ArrayNode list = JSON.createArrayNode();
            groups.get().forEach(g -> list.add(groupJson(g, false)));
            sendJson(exchange, list);
        } else if (parts.length >= 3 && parts[1].equals("groups")) {
            GroupStatus group = findGroup(parts[2]);
            if (parts.length == 3) {
                sendJson(exchange, groupJson(group, true));
            } else if (parts.length == 4 && parts[3].equals("members")) {
                ArrayNode list = JSON.createArrayNode();
                group.members().forEach(list::add);
                sendJson(exchange, list);
            } else if (parts.length == 4 && parts[3].equals("aggregates")) {
                aggregates(exchange, group, query(uri));
            } else {
                throw new BadRequest(404, "no such resource: " + uri.getPath());
            }
        } else {
            throw new BadRequest(404, "no such resource: " + uri.getPath());
        }
    }

    private GroupStatus findGroup(String id) {
        return groups.get().stream().filter(g -> g.group().equals(id)).findFirst()
                .orElseThrow(() -> new BadRequest(404, "no group '" + id + "'"));
    }

    private void aggregates(HttpExchange exchange, GroupStatus group, Map<String, String> query) throws IOException {
        Instant to = instant(query, "to").orElse(clock.instant());
        Instant from = instant(query, "from").orElse(to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw new BadRequest(400, "parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        String format = query.getOrDefault("format", "json");
        List<StepResult> rows = results.between(group.group(), from, to);
        switch (format) {
            case "json" -> {
                ArrayNode list = JSON.createArrayNode();
                for (StepResult r : rows) {
                    ObjectNode node = list.addObject().put("group", r.group()).put("epoch", r.epoch()).put("label", r.label())
                            .put("stepStart", r.stepStart().toString()).put("stepSeconds", r.stepSeconds()).put("status", r.status().name());
                    if (r.sum().isPresent()) {
                        node.put("sum", r.sum().getAsLong());
                    } else {
                        node.putNull("sum");
                    }
                    node.put("reported", r.reported());
                    ArrayNode missing = node.putArray("missing");
                    r.missing().forEach(missing::add);
                    node.put("recordedAt", r.recordedAt().toString());
                }
                sendJson(exchange, list);
            }
            case "csv" -> send(exchange, 200, "text/csv; charset=utf-8", csv(rows).getBytes(StandardCharsets.UTF_8));
            default -> throw new BadRequest(400, "parameter 'format' must be json or csv, got '" + format + "'");
        }
    }

    /** Ids contain no commas or quotes ([A-Za-z0-9._-]), so no field needs quoting; missing meters are ';'-separated. */
    static String csv(List<StepResult> rows) {
        StringBuilder out = new StringBuilder("group,epoch,label,step_start,step_seconds,status,sum,reported,missing,recorded_at\n");
        for (StepResult r : rows) {
            out.append(r.group()).append(',').append(r.epoch()).append(',').append(r.label()).append(',').append(r.stepStart()).append(',')
                    .append(r.stepSeconds()).append(',').append(r.status()).append(',')
                    .append(r.sum().isPresent() ? Long.toString(r.sum().getAsLong()) : "").append(',').append(r.reported()).append(',')
                    .append(String.join(";", r.missing())).append(',').append(r.recordedAt()).append('\n');
        }
        return out.toString();
    }

    private static ObjectNode groupJson(GroupStatus g, boolean withMembers) {
        ObjectNode node = JSON.createObjectNode().put("group", g.group()).put("epoch", g.epoch()).put("phase", g.phase().name())
                .put("params", g.params()).put("stepSeconds", g.stepSeconds()).put("memberCount", g.members().size())
                .put("publicKeysReceived", g.publicKeysReceived()).put("blindedKeysReceived", g.blindedKeysReceived());
        g.keySetupStalledSince().ifPresent(since -> node.put("keySetupStalledSince", since.toString()));
        if (g.activeFrom().isPresent()) {
            node.put("activeFromLabel", g.activeFrom().getAsLong());
        } else {
            node.putNull("activeFromLabel");
        }
        ArrayNode epochs = node.putArray("collectingEpochs");
        g.collectingEpochs().forEach(epochs::add);
        node.put("pendingCiphertexts", g.pendingCiphertexts());
        if (withMembers) {
            ArrayNode members = node.putArray("members");
            g.members().forEach(members::add);
        }
        return node;
    }

    private static Optional<Instant> instant(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
            }
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BadRequest(400, "parameter '" + name + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or unix seconds, got '"
                    + value + "'");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    private static byte[] error(String message) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendJson(HttpExchange exchange, Object node) throws IOException {
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(node));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
