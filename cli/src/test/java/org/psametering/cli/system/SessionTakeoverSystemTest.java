package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.MqttSettings;

/**
 * Another client connects with the head-end's client id and, like a second head-end with the same configuration,
 * takes the session back whenever it loses it. The broker disconnects the head-end each time (with reason code 0x8E
 * from Mosquitto 2.0.15 on; older ones just close the connection, which the head-end recognises by the rhythm). The
 * head-end must say so (health DOWN with the reason, a metric, an ERROR log) and back off for a long time instead of
 * taking the session back at once, which made two such head-ends kick each other off every 1.3 s.
 */
class SessionTakeoverSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "psa-head-end-takeover-test";

    @Test
    void aSessionTakeoverIsReportedAndNotFoughtBack(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), false)) {
            HeadEndConfig base = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), 50,
                    LocalHeadEndConfig.group("g-takeover", SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS, 300, List.of("m-001")));
            HeadEndConfig config = base.withMqtt(new MqttSettings(broker.url(), CLIENT_ID, null, null, 3600L)).withHttp(new HttpSettings(0, "127.0.0.1"));
            try (HeadEnd headEnd = HeadEnd.start(config, Clock.systemUTC())) {
                HttpClient http = HttpClient.newHttpClient();
                URI health = URI.create("http://127.0.0.1:" + headEnd.httpPort() + "/health");
                assertEquals(200, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

                MqttClient intruder = new MqttClient(broker.url(), CLIENT_ID, new MemoryPersistence());
                try {
                    MqttConnectionOptions options = new MqttConnectionOptions();
                    options.setCleanStart(false);
                    options.setSessionExpiryInterval(600L);
                    // like a second head-end: it takes the session back whenever it loses it
                    options.setAutomaticReconnect(true);
                    options.setAutomaticReconnectDelay(1, 1);
                    intruder.connect(options);
                    BrokerKillSystemTest.awaitCondition("the head-end notices the takeover", () -> headEnd.mqttStatus().sessionTakeovers() >= 1);

                    HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(503, down.statusCode(), down.body());
                    JsonNode body = JSON.readTree(down.body());
                    assertEquals("DOWN", body.get("status").asText());
                    String reason = body.get("reason").asText();
                    assertTrue(reason.startsWith("session taken over by another client with id " + CLIENT_ID), reason);
                    Matcher wait = Pattern.compile("next attempt in (\\d+) s").matcher(reason);
                    assertTrue(wait.find(), reason);
                    assertTrue(Integer.parseInt(wait.group(1)) >= 60, "backs off at least a minute, not a fight loop: " + reason);

                    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + headEnd.httpPort() + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    assertTrue(metrics.contains("psa_mqtt_session_takeovers_total 1.0"), metrics);
                    assertTrue(metrics.contains("psa_mqtt_subscribed 0.0"), metrics);
                    // the head-end backs off: the intruder gets the session and keeps it
                    BrokerKillSystemTest.awaitCondition("the intruder holds the session", intruder::isConnected);
                    assertEquals(1, headEnd.mqttStatus().sessionTakeovers());
                } finally {
                    if (intruder.isConnected()) {
                        intruder.disconnect();
                    }
                    intruder.close();
                }
            }
        }
    }
}
