package org.psametering.headend.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.ReloadResult;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MemberView;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP API on embedded Jetty, read-only but for the loopback-only {@code POST /admin/reload} (its core API, no servlets: a handful of GET endpoints needs no framework).
 * Jetty rather than the JDK's built-in server because the JDK server reads request headers on its worker threads
 * with no read timeout: two clients that sent half a header stalled every request for as long as they liked. Jetty
 * parses headers without holding a thread, and its idle timeout closes connections that stall.
 *
 * <pre>
 * GET /health                               {"status":"UP"} (200), or {"status":"DOWN","reason":"..."} (503) while
 *                                           the head-end is not connected to the broker and subscribed
 * GET /groups                               every group's state
 * GET /groups/{id}                          one group, with its members
 * GET /groups/{id}/members                  ["m1", ...]
 * GET /groups/{id}/aggregates?from=&amp;to=&amp;format=json|csv   results whose step starts in [from, to)
 *                                           (ISO-8601 instants or unix seconds; default: the last 24 hours)
 * GET /groups/{id}/membership               each configured member: ACTIVE / DROPPED / PENDING_READMISSION, misses
 *                                           in a row, last reported label, dropped since; next re-key not before
 * GET /groups/{id}/membership-log           the membership changes (newest 1000), oldest first
 * GET /rejections                           rejected-message counters by reason
 * GET /metrics                              Prometheus text format
 * POST /admin/reload                        reads the configuration file again (as SIGHUP); served only to a
 *                                           client on a loopback address and without proxy headers, else 403
 * </pre>
 * With {@code http.tokenFile} every request but {@code GET /health} needs {@code Authorization: Bearer <token>} (401
 * otherwise); with {@code http.tls} the API speaks HTTPS only. Both live in {@link HttpSecurity}.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Closes connections idle (or stalled mid-request) this long. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** Threads that run handlers (database queries); stalled clients hold none, so a few suffice. */
    private static final int MAX_THREADS = 12;
    /** Timestamps the database and Instant both represent: years 0000-9999 would overflow neither. */
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Server server;
    private final ServerConnector connector;
    private final Supplier<LinkStatus> link;
    private final StorageHealth storage;
    private final Supplier<List<GroupStatus>> groups;
    private final ResultStore results;
    private final RejectionCounters rejections;
    private final Supplier<String> metrics;
    private final Clock clock;
    private final Supplier<List<GroupMembership.Snapshot>> memberships;
    private final Supplier<ReloadResult> reload;

    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock) {
        this(bindAddress, port, groups, results, rejections, metrics, link, storage, clock, List::of,
                () -> new ReloadResult(false, "this API has no configuration to reload", List.of(), List.of()), IDLE_TIMEOUT);
    }

    /** With the membership views and the reload action ({@code POST /admin/reload}, loopback clients only). */
    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
                   Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload) {
        this(bindAddress, port, groups, results, rejections, metrics, link, storage, clock, memberships, reload, IDLE_TIMEOUT);
    }

    HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock, Duration idleTimeout) {
        this(bindAddress, port, groups, results, rejections, metrics, link, storage, clock, List::of,
                () -> new ReloadResult(false, "this API has no configuration to reload", List.of(), List.of()), idleTimeout);
    }

    HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
            Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
            Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload, Duration idleTimeout) {
        this(bindAddress, port, groups, results, rejections, metrics, link, storage, clock, memberships, reload, idleTimeout,
                HttpSecurity.none());
    }

    /** With HTTPS and/or an access token ({@link HttpSecurity}, built from {@code http.tls} and {@code http.tokenFile}). */
    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
                   Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload, HttpSecurity security) {
        this(bindAddress, port, groups, results, rejections, metrics, link, storage, clock, memberships, reload, IDLE_TIMEOUT, security);
    }

    HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
            Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
            Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload, Duration idleTimeout,
            HttpSecurity security) {
        this.memberships = memberships;
        this.reload = reload;
        this.storage = storage;
        this.groups = groups;
        this.results = results;
        this.rejections = rejections;
        this.metrics = metrics;
        this.link = link;
        this.clock = clock;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("psa-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = security.connector(server, http);
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        server.setHandler(security.guard(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                HttpApi.this.handle(request, response, callback);
                return true;
            }
        }));
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen for HTTP on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    private void handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback);
        try {
            if (exchange.path().replaceAll("/+$", "").equals("/admin/reload")) {
                adminReload(exchange);
                return;
            }
            if (!request.getMethod().equals("GET")) {
                send(exchange, 405, "application/json", error("only GET is supported"));
                return;
            }
            route(exchange);
        } catch (BadRequest e) {
            send(exchange, e.status, "application/json", error(e.getMessage()));
        } catch (StorageException e) {
            LOG.error("HTTP {}: {}", LogSafe.text(exchange.path()), e.getMessage());
            send(exchange, 503, "application/json", error("storage unavailable"));
        } catch (RuntimeException | IOException e) {
            LOG.error("HTTP {}: {}", LogSafe.text(exchange.path()), e.toString(), e);
            send(exchange, 500, "application/json", error("internal error"));
        }
    }

    /** One request and the means to answer it. */
    private record Exchange(Request request, Response response, Callback callback) {
        String path() {
            String path = request.getHttpURI().getDecodedPath();
            return path == null ? "/" : path;
        }

        String rawQuery() {
            return request.getHttpURI().getQuery();
        }
    }

    private void route(Exchange exchange) throws IOException {
        String path = exchange.path();
        String[] parts = path.replaceAll("/+$", "").split("/");
        // parts[0] is "" (leading slash)
        if (parts.length == 2 && parts[1].equals("health")) {
            health(exchange);
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
            } else if (parts.length == 4 && parts[3].equals("membership")) {
                sendJson(exchange, membershipJson(membership(group.group())));
            } else if (parts.length == 4 && parts[3].equals("membership-log")) {
                ArrayNode list = JSON.createArrayNode();
                membership(group.group()).log().forEach(e -> list.addObject().put("seq", e.seq()).put("at", e.at().toString())
                        .put("meter", e.meter()).put("change", e.change().name()).put("epoch", e.epoch()).put("reason", e.reason()));
                sendJson(exchange, list);
            } else if (parts.length == 4 && parts[3].equals("aggregates")) {
                aggregates(exchange, group, query(exchange.rawQuery()));
            } else {
                throw new BadRequest(404, "no such resource: " + LogSafe.text(path));
            }
        } else {
            throw new BadRequest(404, "no such resource: " + LogSafe.text(path));
        }
    }

    /**
     * UP only while the head-end can hear meters (connected to the broker and subscribed) and store what they send
     * (the last database write worked): either failure stops ingest, so either makes it DOWN.
     */
    private void health(Exchange exchange) throws IOException {
        LinkStatus status = link.get();
        Optional<StorageHealth.Failure> storageFailure = storage.failure();
        boolean up = status.up() && storageFailure.isEmpty();
        ObjectNode node = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
        node.putObject("mqtt").put("connected", status.connected()).put("subscribed", status.subscribed())
                .put("sessionTakeovers", status.sessionTakeovers()).put("reconnects", status.reconnects())
                .put("outbox", status.outboxSize()).put("outboxDropped", status.outboxDropped());
        ObjectNode storageNode = node.putObject("storage").put("up", storageFailure.isEmpty());
        storageFailure.ifPresent(f -> storageNode.put("error", f.error()).put("since", f.since().toString()));
        if (!up) {
            List<String> reasons = new ArrayList<>();
            if (!status.up()) {
                reasons.add(status.reason() == null ? "MQTT link down" : status.reason());
            }
            storageFailure.ifPresent(f -> reasons.add("database cannot store since " + f.since() + ": " + f.error()));
            node.put("reason", String.join("; ", reasons));
        }
        send(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsBytes(node));
    }

    /**
     * {@code POST /admin/reload}. The API has no authentication, so the one call that changes anything is served
     * only to a client on a loopback address, and not through a proxy on this host (a request with Forwarded or
     * X-Forwarded-For headers came from elsewhere): 403 otherwise, whatever {@code http.bindAddress} is.
     */
    private void adminReload(Exchange exchange) throws IOException {
        if (!exchange.request().getMethod().equals("POST")) {
            send(exchange, 405, "application/json", error("use POST /admin/reload"));
            return;
        }
        SocketAddress remote = exchange.request().getConnectionMetaData().getRemoteSocketAddress();
        boolean loopback = remote instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        boolean proxied = exchange.request().getHeaders().contains("Forwarded") || exchange.request().getHeaders().contains("X-Forwarded-For");
        if (!loopback || proxied) {
            LOG.warn("HTTP POST /admin/reload refused: client {} {}", remote, proxied ? "sent proxy headers" : "is not on a loopback address");
            send(exchange, 403, "application/json", error("/admin/reload is served only to clients on this host (loopback)"));
            return;
        }
        ReloadResult result = reload.get();
        ObjectNode node = JSON.createObjectNode().put("applied", result.applied()).put("message", result.message());
        ArrayNode changed = node.putArray("groupsChanged");
        result.groupsChanged().forEach(changed::add);
        ArrayNode restart = node.putArray("needRestart");
        result.needRestart().forEach(restart::add);
        send(exchange, result.applied() ? 200 : 400, "application/json", JSON.writeValueAsBytes(node));
    }

    private GroupMembership.Snapshot membership(String group) {
        return memberships.get().stream().filter(m -> m.group().equals(group)).findFirst()
                .orElseThrow(() -> new BadRequest(404, "no membership for group '" + LogSafe.text(group) + "'"));
    }

    private static ObjectNode membershipJson(GroupMembership.Snapshot snapshot) {
        ObjectNode node = JSON.createObjectNode().put("group", snapshot.group());
        snapshot.nextRekeyNotBefore().ifPresentOrElse(t -> node.put("nextRekeyNotBefore", t.toString()), () -> node.putNull("nextRekeyNotBefore"));
        ArrayNode members = node.putArray("members");
        for (MemberView m : snapshot.members()) {
            ObjectNode member = members.addObject().put("meter", m.meter()).put("state", m.state().name())
                    .put("consecutiveMisses", m.consecutiveMisses()).put("keptByFloor", m.keptByFloor());
            m.lastReportedLabel().ifPresentOrElse(l -> member.put("lastReportedLabel", l), () -> member.putNull("lastReportedLabel"));
            m.droppedSince().ifPresentOrElse(t -> member.put("droppedSince", t.toString()), () -> member.putNull("droppedSince"));
            m.heardSince().ifPresentOrElse(t -> member.put("heardSince", t.toString()), () -> member.putNull("heardSince"));
        }
        return node;
    }

    private GroupStatus findGroup(String id) {
        return groups.get().stream().filter(g -> g.group().equals(id)).findFirst()
                .orElseThrow(() -> new BadRequest(404, "no group '" + LogSafe.text(id) + "'"));
    }

    private void aggregates(Exchange exchange, GroupStatus group, Map<String, String> query) throws IOException {
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
                    node.put("missingCount", r.missing().size());
                    if (r.reason().isPresent()) {
                        node.put("reason", r.reason().get().name());
                    } else {
                        node.putNull("reason");
                    }
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
        Instant instant;
        try {
            instant = value.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new BadRequest(400, "parameter '" + name + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or unix seconds, got '"
                    + LogSafe.text(value) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new BadRequest(400, "parameter '" + name + "' must lie between " + EARLIEST + " and " + LATEST + ", got '"
                    + LogSafe.text(value) + "'");
        }
        return Optional.of(instant);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(key, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "query parameter '" + LogSafe.text(pair) + "' is not valid percent-encoding");
            }
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

    private static void sendJson(Exchange exchange, Object node) throws IOException {
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(node));
    }

    private static void send(Exchange exchange, int status, String type, byte[] body) {
        Response response = exchange.response();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), exchange.callback());
    }

    /**
     * What Jetty answers by itself (malformed request, header too large, a handler that failed): the same JSON shape
     * as our own errors, with the standard reason phrase only, never an exception's text.
     */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            if (cause != null) {
                LOG.error("HTTP {}: {}", LogSafe.text(request.getHttpURI().getPath()), cause.toString(), cause);
            }
            byte[] body = error(HttpStatus.getMessage(code));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
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
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP stop: {}", e.toString());
        }
    }
}
