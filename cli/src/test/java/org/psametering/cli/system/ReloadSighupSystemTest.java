package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;

/**
 * The real command-line head-end in a child JVM: {@code kill -HUP} makes it read its configuration file again. An added
 * member re-keys the group (visible over HTTP and in the membership log); an invalid file afterwards is refused and
 * counted, and the head-end keeps running with the configuration in force.
 */
class ReloadSighupSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String config(Path dir, String brokerUrl, int httpPort, String members) {
        return "dataDir: " + dir.resolve("head-end") + "\n"
                + "mqtt:\n  broker: " + brokerUrl + "\n  clientId: psa-head-end-hup\n"
                + "http:\n  port: " + httpPort + "\n  bindAddress: 127.0.0.1\n"
                + "tickMillis: 50\n"
                + "groups:\n  - id: g-hup\n    params: " + SystemRig.PARAMS.name() + "\n    stepSeconds: 900\n    members: [" + members + "]\n"
                + HeadEndProcess.trustSection(dir.resolve("trust"));
    }

    @Test
    void sighupReloadsTheConfigurationAndRefusesAnInvalidOne(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path file = dir.resolve("head-end.yaml");
        Path output = dir.resolve("head-end.out");
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), false)) {
            Files.writeString(file, config(dir, broker.url(), port, "m-001, m-002"));
            // INFO from the head-end in its output, for the failure messages (the test classpath's logback says WARN)
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder>"
                    + "<pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder></appender>"
                    + "<root level=\"INFO\"><appender-ref ref=\"OUT\"/></root></configuration>");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process headEnd = new ProcessBuilder(java, "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                    "org.psametering.headend.HeadEndMain", "--config", file.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                await(port, "/groups/g-hup", g -> g.get("memberCount").asInt() == 2, output, headEnd);

                Files.writeString(file, config(dir, broker.url(), port, "m-001, m-002, m-003"));
                hangUp(headEnd);
                JsonNode group = await(port, "/groups/g-hup", g -> g.get("memberCount").asInt() == 3, output, headEnd);
                assertEquals(1, group.get("epoch").asLong(), "the added member re-keyed the group");
                JsonNode log = get(port, "/groups/g-hup/membership-log").orElseThrow();
                assertEquals("ADDED", log.get(0).get("change").asText());
                assertEquals("m-003", log.get(0).get("meter").asText());

                Files.writeString(file, "groups: [ this is not a group");
                hangUp(headEnd);
                awaitMetric(port, "psa_config_reloads_total{outcome=\"refused\"} 1.0", output);
                assertTrue(headEnd.isAlive(), "SIGHUP must not stop the head-end");
                JsonNode still = get(port, "/groups/g-hup").orElseThrow();
                assertEquals(1, still.get("epoch").asLong());
                assertEquals(3, still.get("memberCount").asInt());
                assertTrue(Files.readString(output).contains("configuration reload (SIGHUP) refused"));
            } finally {
                headEnd.destroy();
                if (!headEnd.waitFor(30, TimeUnit.SECONDS)) {
                    headEnd.destroyForcibly();
                }
            }
        }
    }

    private static void hangUp(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -HUP");
    }

    private Optional<JsonNode> get(int port, String path) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private JsonNode await(int port, String path, Predicate<JsonNode> condition, Path output, Process process) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Optional<JsonNode> node = get(port, path);
            if (node.isPresent() && condition.test(node.get())) {
                return node.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not reach the expected state within " + WAIT + " (last: " + get(port, path)
                + ", head-end " + (process.isAlive() ? "running" : "exited with " + process.exitValue()) + "); head-end output:\n"
                + Files.readString(output));
    }

    private void awaitMetric(int port, String line, Path output) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.body().contains(line)) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/metrics never showed " + line + "; head-end output:\n" + Files.readString(output));
    }
}
