package org.psametering.headend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.Topics;

class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEP = 900;
    /** Short, so the test that waits for a stalled connection to be closed does not wait the production 10 s. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    /** Bounds how long a request may hang before the test calls it hung (the bug made it hang for ever). */
    private static final Duration HUNG = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private CoreHarness harness;
    private HttpApi api;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long label;
    private volatile LinkStatus link = new LinkStatus(true, true, null, 0, 0, 0, 0);
    private long sum;

    @BeforeEach
    void setUp() {
        harness = new CoreHarness(StorageSettings.defaults(), dataDir, clock, CoreHarness.group("feeder-1", STEP, 60, "m1", "m2"));
        Map<String, TestMeter> meters = harness.setUpKeys("feeder-1");
        label = harness.announcement("feeder-1").activeFromLabel().orElseThrow();
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 1));
        sum = harness.sendStep("feeder-1", 0, label, meters, 300);
        // next step: only m1 reports, then the deadline passes
        harness.deliver(Topics.ciphertext("feeder-1", 0, "m1"), meters.get("m1").ciphertextPayload(label + 1, 1));
        clock.set(Instant.ofEpochSecond((label + 2) * STEP + 61));
        harness.core.tick();
        harness.deliver("psa/v1/feeder-1/0/ct/m9", new byte[1]);
        api = new HttpApi("127.0.0.1", 0, harness.core::statuses, harness.core.results(), harness.core.rejections(),
                () -> "psa_test_metric 1\n", () -> link, harness.core.storageHealth(), clock, IDLE_TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        api.close();
        harness.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).timeout(HUNG).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET written by hand, for request targets that java.net.http refuses to send (invalid percent-encoding). */
    private String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout((int) HUNG.toMillis());
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        return JSON.readTree(response.body());
    }

    @Test
    void groupsShowStateAndMembers() throws Exception {
        JsonNode groups = json("/groups");
        assertEquals(1, groups.size());
        assertEquals("ACTIVE", groups.get(0).get("phase").asText());
        assertEquals(label, groups.get(0).get("activeFromLabel").asLong());
        assertEquals("[\"m1\",\"m2\"]", json("/groups/feeder-1/members").toString());
        assertEquals(2, json("/groups/feeder-1").get("members").size());
        assertEquals(404, get("/groups/nope").statusCode());
    }

    @Test
    void aggregatesAsJsonAndCsv() throws Exception {
        String range = "from=" + label * STEP + "&to=" + Instant.ofEpochSecond((label + 2) * STEP);
        JsonNode rows = json("/groups/feeder-1/aggregates?" + range);
        assertEquals(2, rows.size());
        assertEquals("COMPLETE", rows.get(0).get("status").asText());
        assertEquals(sum, rows.get(0).get("sum").asLong());
        assertEquals("INCOMPLETE", rows.get(1).get("status").asText());
        assertTrue(rows.get(1).get("sum").isNull());
        assertEquals("[\"m2\"]", rows.get(1).get("missing").toString());

        HttpResponse<String> csv = get("/groups/feeder-1/aggregates?format=csv&" + range);
        assertEquals(200, csv.statusCode());
        String[] lines = csv.body().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("group,epoch,label,step_start"));
        assertTrue(lines[1].startsWith("feeder-1,0," + label + "," + Instant.ofEpochSecond(label * STEP) + ",900,COMPLETE," + sum + ",2,,"),
                lines[1]);
        assertTrue(lines[2].contains(",INCOMPLETE,,1,m2,"), lines[2]);

        // only the first step falls in this range
        assertEquals(1, json("/groups/feeder-1/aggregates?from=" + label * STEP + "&to=" + (label * STEP + 1)).size());
        // days: how far back from `to` (default 1); the clock stands 2 steps and a minute after the first step
        assertEquals(2, json("/groups/feeder-1/aggregates?days=2").size());
        assertEquals(1, json("/groups/feeder-1/aggregates?days=1&to=" + (label * STEP + 1)).size());
        for (String days : new String[] {"0", "367", "x", "-1"}) {
            HttpResponse<String> bad = get("/groups/feeder-1/aggregates?days=" + days);
            assertEquals(400, bad.statusCode(), days);
            assertTrue(bad.body().contains("parameter 'days'"), bad.body());
        }
    }

    @Test
    void badParametersAreNamed() throws Exception {
        HttpResponse<String> badFrom = get("/groups/feeder-1/aggregates?from=yesterday");
        assertEquals(400, badFrom.statusCode());
        assertTrue(badFrom.body().contains("parameter 'from'"), badFrom.body());
        HttpResponse<String> badFormat = get("/groups/feeder-1/aggregates?format=xml");
        assertEquals(400, badFormat.statusCode());
        assertTrue(badFormat.body().contains("'format'"), badFormat.body());
        assertEquals(405, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/groups"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void rejectionCountersAndMetrics() throws Exception {
        JsonNode rejections = json("/rejections");
        assertEquals(1, rejections.get("UNKNOWN_METER").asLong());
        assertEquals(1, rejections.get("total").asLong());
        assertEquals(0, rejections.get("FORGED").asLong());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("psa_test_metric 1\n", metrics.body());
    }

    @Test
    void healthIsUpOnlyWhileConnectedAndSubscribed() throws Exception {
        HttpResponse<String> up = get("/health");
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("UP", JSON.readTree(up.body()).get("status").asText());

        link = new LinkStatus(true, false, "session taken over by another client with id psa-head-end", 1, 0, 0, 0);
        HttpResponse<String> down = get("/health");
        assertEquals(503, down.statusCode(), down.body());
        JsonNode body = JSON.readTree(down.body());
        assertEquals("DOWN", body.get("status").asText());
        assertEquals("session taken over by another client with id psa-head-end", body.get("reason").asText());
        assertEquals("application/json", down.headers().firstValue("Content-Type").orElseThrow());
    }

    /** A CRL file that cannot be reloaded stops nothing, but /health must show it (degraded), not only a log line. */
    @Test
    void healthIsDegradedWhileAWatchedCrlFileCannotBeReloaded() throws Exception {
        org.psametering.protocol.trust.ThrowawayPki pki = org.psametering.protocol.trust.ThrowawayPki.create(new java.security.SecureRandom());
        Path file = dataDir.resolve("broker-crl.pem");
        java.nio.file.Files.writeString(file, org.psametering.crypto.pki.Pem.writeCrl(pki.revoking(List.of())));
        org.psametering.protocol.trust.CrlFileTrust crl = org.psametering.protocol.trust.CrlFileTrust.open(pki.anchor(), file,
                java.time.Clock.systemUTC(), Duration.ofHours(1), new org.psametering.protocol.trust.CrlFileTrust.Listener() {
                    @Override
                    public void loaded(Path f, java.security.cert.X509CRL list) {
                    }

                    @Override
                    public void failed(Path f, String reason) {
                    }
                });
        api.showCrls(new org.psametering.headend.CrlWatch(List.of(crl)));
        JsonNode fine = JSON.readTree(get("/health").body());
        assertEquals(false, fine.get("degraded").asBoolean(), fine.toString());
        assertEquals(1, fine.get("crl").get("watched").asInt());

        java.nio.file.Files.writeString(file, "half-copied");
        crl.reload();
        HttpResponse<String> degraded = get("/health");
        assertEquals(200, degraded.statusCode(), "ingest goes on under the previous CRL: still UP");
        JsonNode body = JSON.readTree(degraded.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals(true, body.get("degraded").asBoolean(), degraded.body());
        assertEquals(1, body.get("crl").get("failedReloads").asLong());
        assertTrue(body.get("crl").get("problems").get(0).asText().startsWith(file + ": "), degraded.body());
        assertTrue(body.get("degradedReason").asText().contains("CRL not reloaded"), degraded.body());
    }

    /** A database that cannot store (full disk) stops ingest: /health must say so, not UP, even with the link up. */
    @Test
    void healthIsDownWhileTheDatabaseCannotStore() throws Exception {
        harness.core.storageHealth().failed("cannot store 200 ciphertexts: File too large", clock.instant());
        HttpResponse<String> down = get("/health");
        assertEquals(503, down.statusCode(), down.body());
        JsonNode body = JSON.readTree(down.body());
        assertEquals("DOWN", body.get("status").asText());
        assertTrue(body.get("reason").asText().contains("File too large"), down.body());
        assertEquals(false, body.get("storage").get("up").asBoolean(), down.body());

        harness.core.storageHealth().succeeded();
        assertEquals(200, get("/health").statusCode());
    }

    /** Values that overflow an Instant, the database's timestamps, or are not even valid percent-encoding: 400, not 500. */
    @Test
    void overflowingAndGarbageQueryValuesAreBadRequests() throws Exception {
        for (String query : List.of("to=9223372036854775807", "from=9223372036854775807", "to=99999999999999999999",
                "to=%2B1000000000-12-31T23:59:59Z", "from=-1000000000-01-01T00:00:00Z", "to=%zz", "from=%", "to=253402300800",
                "from=0&to=9223372036854775807")) {
            String response = rawGet("/groups/feeder-1/aggregates?" + query);
            assertTrue(response.startsWith("HTTP/1.1 400 "), query + " -> " + response);
            assertTrue(JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).has("error"), query + " -> " + response);
        }
    }

    /**
     * Clients that send half a request header and then stall must neither hold the API's threads nor keep their
     * connections for ever: /health answers meanwhile, and the server closes the stalled connections.
     */
    @Test
    void stalledHalfRequestsDoNotHangTheApi() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket("127.0.0.1", api.port());
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(200, get("/health").statusCode());
            }
            for (Socket socket : stalled) {
                socket.setSoTimeout((int) HUNG.toMillis());
                InputStream in = socket.getInputStream();
                // the server closes it (possibly after a 408): read until end of stream; a hang throws SocketTimeoutException
                while (in.read() >= 0) {
                    // discard
                }
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }
}
