package org.psametering.cli.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.psametering.cli.broker.FreePort;
import org.psametering.headend.HeadEndMain;
import org.psametering.protocol.TimeSteps;

/**
 * The head-end as its own JVM, started like {@code ./psa head-end --config FILE} (the {@link HeadEndMain} entry point, this
 * test's class path), so it can be killed with SIGKILL: no shutdown hook, no close, the operating system just drops it.
 * Every start uses the same configuration file and data directory (H2 database, MQTT client id), as a restarted server
 * would; only the HTTP port is picked afresh, so a port the killed process held cannot fail the restart.
 */
final class HeadEndProcess implements AutoCloseable {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private Process process;
    private int httpPort;
    private int starts;

    private HeadEndProcess(Path dir, Path config) {
        this.dir = dir;
        this.config = config;
    }

    /** Writes {@code yaml} as the head-end's configuration file in {@code dir}; nothing is started yet. */
    static HeadEndProcess configure(Path dir, String yaml) {
        try {
            Files.createDirectories(dir);
            Path config = Files.writeString(dir.resolve("head-end.yaml"), yaml + trustSection(dir.resolve("trust")),
                    StandardCharsets.UTF_8);
            return new HeadEndProcess(dir, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the head-end config in " + dir, e);
        }
    }

    /**
     * The {@code trust:} section of a head-end in another JVM: PEM files of the test JVM's throw-away CA, the same CA
     * the in-process meters trust.
     */
    static String trustSection(Path dir) {
        org.psametering.headend.config.TrustSettings trust = org.psametering.cli.trust.Provisioning.headEnd(
                org.psametering.cli.trust.Provisioning.shared(), dir);
        return "trust:\n  identityKey: " + trust.identityKey() + "\n  certificate: " + trust.certificate() + "\n  anchor: "
                + trust.anchor() + "\n";
    }

    /** Starts the head-end JVM (its output goes to {@code head-end-<n>.log} in the directory). */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the head-end is already running");
        }
        httpPort = FreePort.pick();
        starts++;
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HeadEndMain.class.getName(), "--config", config.toString(), "--http-port", Integer.toString(httpPort));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the head-end JVM", e);
        }
    }

    /** SIGKILL, and waits until the process is gone; returns its exit code (137 when the signal killed it). */
    int kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Unix
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the head-end did not die within 30 s of SIGKILL");
        }
        return process.exitValue();
    }

    /** Polls {@code /health} until it answers 200 UP; fails early, with the process's log, if the process exits. */
    void awaitHealthUp(Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the head-end exited with code " + process.exitValue() + " after start " + starts + ":\n" + logTail());
            }
            try {
                HttpResponse<String> health = get("/health");
                last = health.statusCode() + " " + health.body();
                if (health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("/health not UP within " + wait + " after start " + starts + "; last answer: " + last + "\n" + logTail());
    }

    /** The value of a sample in {@code /metrics} (Prometheus text; name with its labels, if any), if the head-end answers and has it. */
    OptionalDouble metric(String name) {
        try {
            HttpResponse<String> metrics = get("/metrics");
            if (metrics.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            // older Prometheus text ends a label set with ",}"
            return metrics.body().lines().map(line -> line.replace(",}", "}")).filter(line -> line.startsWith(name + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim())).findFirst();
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery)).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The stored results of steps {@code first..last} of a group, by label (a label with two rows would be a bug); empty
     * while the head-end does not answer (killed, starting, or not owning the group).
     */
    Map<Long, List<JsonNode>> storedResults(String group, long first, long last, int stepSeconds) {
        long from = TimeSteps.start(first, stepSeconds).getEpochSecond();
        long to = TimeSteps.start(last + 1, stepSeconds).getEpochSecond();
        try {
            HttpResponse<String> response = get("/groups/" + group + "/aggregates?format=json&from=" + from + "&to=" + to);
            if (response.statusCode() != 200) {
                return Map.of();
            }
            Map<Long, List<JsonNode>> byLabel = new TreeMap<>();
            for (JsonNode row : JSON.readTree(response.body())) {
                byLabel.computeIfAbsent(row.get("label").asLong(), l -> new ArrayList<>()).add(row);
            }
            return byLabel;
        } catch (Exception e) {
            return Map.of();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The directory's name, for messages. */
    String name() {
        return dir.getFileName().toString();
    }

    int starts() {
        return starts;
    }

    private Path log() {
        return dir.resolve("head-end-" + starts + ".log");
    }

    /** The end of the current process's output, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the head-end normally (SIGTERM: its shutdown hook closes it). */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
