package org.psametering.headend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.ConfigReloader;
import org.psametering.headend.config.ConfigLoader;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;

/**
 * The membership views and the configuration reload over HTTP: {@code POST /admin/reload} applies a changed member
 * list through the re-key path, refuses an invalid file (the old configuration stays, the refusal is counted), and is
 * served to loopback clients only.
 */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEP = 900;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private Path configFile;
    private CoreHarness harness;
    private ConfigReloader reloader;
    private HttpApi api;
    private long label;

    private static String yaml(String groupId, String... members) {
        StringBuilder out = new StringBuilder("groups:\n  - id: ").append(groupId).append("\n    stepSeconds: ").append(STEP)
                .append("\n    deadlineSeconds: 60\n    lateWindowSeconds: ").append(4 * STEP).append("\n    members: [");
        out.append(String.join(", ", members)).append("]\n");
        return out.toString();
    }

    @BeforeEach
    void setUp() throws Exception {
        configFile = dir.resolve("head-end.yaml");
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2"));
        HeadEndConfig initial = ConfigLoader.load(configFile);
        harness = new CoreHarness(StorageSettings.defaults(), dir.resolve("db"), clock, initial.groups().get(0));
        Map<String, TestMeter> meters = harness.setUpKeys("feeder-1");
        label = harness.announcement("feeder-1").activeFromLabel().orElseThrow();
        Map<String, TestMeter> onlyM1 = new LinkedHashMap<>(meters);
        onlyM1.remove("m2");
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 1));
        harness.sendStep("feeder-1", 0, label, onlyM1, 10);
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 61));
        harness.core.tick();
        reloader = new ConfigReloader(initial, () -> ConfigLoader.load(configFile), groups -> groups.forEach(harness.core::reconfigure));
        api = new HttpApi("0.0.0.0", 0, harness.core::statuses, harness.core.results(), harness.core.rejections(), () -> "",
                () -> new LinkStatus(true, true, null, 0, 0, 0, 0), harness.core.storageHealth(), clock, harness.core::memberships,
                () -> reloader.reload("POST /admin/reload"));
    }

    @AfterEach
    void tearDown() {
        api.close();
        harness.close();
    }

    private HttpResponse<String> send(String host, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + api.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = send("127.0.0.1", "GET", path);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void membershipShowsEveryConfiguredMembersState() throws Exception {
        JsonNode membership = json("/groups/feeder-1/membership");
        assertEquals("feeder-1", membership.get("group").asText());
        JsonNode m1 = membership.get("members").get(0);
        JsonNode m2 = membership.get("members").get(1);
        assertEquals("m1", m1.get("meter").asText());
        assertEquals("ACTIVE", m1.get("state").asText());
        assertEquals(label, m1.get("lastReportedLabel").asLong());
        assertEquals(java.time.Instant.ofEpochSecond(label * 900).toString(), m1.get("lastReportedStepStart").asText(), "the step it last reported");
        assertEquals(0, m1.get("consecutiveMisses").asInt());
        // metadata only (what the web page's members table shows): no field could carry a reading
        java.util.List<String> fields = new java.util.ArrayList<>();
        m1.fieldNames().forEachRemaining(fields::add);
        assertEquals(java.util.List.of("meter", "state", "consecutiveMisses", "keptByFloor", "lastReportedLabel", "lastReportedStepStart",
                "droppedSince", "heardSince"), fields);
        assertEquals("m2", m2.get("meter").asText());
        assertEquals(1, m2.get("consecutiveMisses").asInt());
        assertTrue(m2.get("lastReportedLabel").isNull());
        assertTrue(m2.get("lastReportedStepStart").isNull());
        assertEquals(0, json("/groups/feeder-1/membership-log").size());
        assertEquals(404, send("127.0.0.1", "GET", "/groups/nope/membership").statusCode());
    }

    @Test
    void reloadAppliesAnAddedMemberThroughANewEpochAndLogsIt() throws Exception {
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2", "m3"));
        HttpResponse<String> response = send("127.0.0.1", "POST", "/admin/reload");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("applied").asBoolean());
        assertEquals("feeder-1", body.get("groupsChanged").get(0).asText());

        JsonNode group = json("/groups/feeder-1");
        assertEquals(1, group.get("epoch").asLong());
        assertEquals(3, group.get("memberCount").asInt());
        assertEquals("complete", group.get("maskGraph").asText(), "auto at 3 members");
        assertEquals("auto", group.get("maskGraphOption").asText(), "the configured option (none: auto)");
        JsonNode log = json("/groups/feeder-1/membership-log");
        assertEquals(1, log.size());
        assertEquals("ADDED", log.get(0).get("change").asText());
        assertEquals("m3", log.get(0).get("meter").asText());
        assertEquals(1, log.get(0).get("epoch").asLong());
        assertEquals(1, reloader.applied());
    }

    @Test
    void anInvalidFileIsRefusedCountedAndTheOldConfigurationStays() throws Exception {
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2", "m2"));
        HttpResponse<String> response = send("127.0.0.1", "POST", "/admin/reload");
        assertEquals(400, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertFalse(body.get("applied").asBoolean());
        assertTrue(body.get("message").asText().contains("listed twice"), body.toString());
        assertEquals(0, json("/groups/feeder-1").get("epoch").asLong());
        assertEquals(1, reloader.refused());

        // a valid file afterwards is compared with the configuration in force, not with the refused one
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2"));
        JsonNode again = JSON.readTree(send("127.0.0.1", "POST", "/admin/reload").body());
        assertTrue(again.get("applied").asBoolean());
        assertEquals(0, again.get("groupsChanged").size());
        assertEquals(0, json("/groups/feeder-1").get("epoch").asLong());
    }

    @Test
    void removingAGroupAtRunTimeIsRefused() throws Exception {
        Files.writeString(configFile, yaml("feeder-2", "m1", "m2"));
        HttpResponse<String> response = send("127.0.0.1", "POST", "/admin/reload");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("feeder-1"), response.body());
        assertEquals(1, json("/groups").size());
        assertEquals(1, reloader.refused());
    }

    @Test
    void reloadIsNotServedThroughAProxyNorForGet() throws Exception {
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2", "m3"));
        assertEquals(403, send("127.0.0.1", "POST", "/admin/reload", "X-Forwarded-For", "203.0.113.9").statusCode());
        assertEquals(403, send("127.0.0.1", "POST", "/admin/reload", "Forwarded", "for=203.0.113.9").statusCode());
        assertEquals(405, send("127.0.0.1", "GET", "/admin/reload").statusCode());
        assertEquals(0, json("/groups/feeder-1").get("epoch").asLong(), "nothing was reloaded");
    }

    @Test
    void reloadIsNotServedToAClientOnAnotherAddress() throws Exception {
        Optional<InetAddress> own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address");
        Files.writeString(configFile, yaml("feeder-1", "m1", "m2", "m3"));
        HttpResponse<String> response = send(own.get().getHostAddress(), "POST", "/admin/reload");
        assertEquals(403, response.statusCode(), response.body());
        assertEquals(0, json("/groups/feeder-1").get("epoch").asLong(), "nothing was reloaded");
    }
}
