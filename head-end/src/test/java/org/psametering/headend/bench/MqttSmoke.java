package org.psametering.headend.bench;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * Manual smoke check of the MQTT binding against a running broker (args: broker URL): a head-end in-process and
 * three protocol meters over real MQTT, through key setup to one aggregated step. Not part of the test suite
 * (the integration helper's system tests cover the broker path).
 */
public final class MqttSmoke {
    public static void main(String[] args) throws Exception {
        String broker = args[0];
        int step = 2;
        List<String> ids = List.of("m1", "m2", "m3");
        HeadEndConfig config = new HeadEndConfig(Files.createTempDirectory("smoke"), new MqttSettings(broker, "smoke-head-end", null, null, 600L),
                StorageSettings.defaults(), new HttpSettings(0, null), 100,
                List.of(new GroupSettings("smoke", PsaParameters.DEFAULT.name(), step, 1, 60, ids)));
        BlockingQueue<StepResult> results = new ArrayBlockingQueue<>(10);
        try (HeadEnd headEnd = HeadEnd.start(config, Clock.systemUTC())) {
            headEnd.addResultListener(results::add);
            MqttClient client = new MqttClient(broker, "smoke-meters", new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
            BlockingQueue<byte[]> announcements = new ArrayBlockingQueue<>(10);
            BlockingQueue<byte[]> keySets = new ArrayBlockingQueue<>(10);
            // Paho 1.2.5's subscribe(String, int, listener) recurses endlessly: route in the callback instead
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) { }
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    (topic.endsWith("/keyset") ? keySets : announcements).add(m.getPayload());
                }
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) { }
                public void connectComplete(boolean reconnect, String uri) { }
                public void authPacketArrived(int code, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) { }
            });
            client.subscribe(new String[]{Topics.announce("smoke"), "psa/v1/smoke/+/keyset"}, new int[]{1, 1});
            byte[] announcement = announcements.poll(10, TimeUnit.SECONDS);
            GroupAnnouncement parsed = GroupAnnouncement.fromJson(announcement);
            System.out.println("announcement: " + parsed);
            Map<String, TestMeter> meters = new LinkedHashMap<>();
            for (String id : ids) {
                TestMeter meter = new TestMeter(id, PsaParameters.DEFAULT, new SecureRandom());
                meters.put(id, meter);
                client.publish(Topics.publicKey("smoke", parsed.epoch(), id), meter.publicKeyPayload(announcement), 1, true);
            }
            byte[] keySet = keySets.poll(10, TimeUnit.SECONDS);
            System.out.println("keyset received: " + (keySet != null));
            for (TestMeter meter : meters.values()) {
                client.publish(Topics.blindedKey("smoke", parsed.epoch(), meter.id()), meter.blindedKeyPayload(keySet), 1, false);
            }
            GroupAnnouncement active;
            do {
                active = GroupAnnouncement.fromJson(announcements.poll(10, TimeUnit.SECONDS));
            } while (active.phase() != GroupPhase.ACTIVE);
            long label = active.activeFromLabel().getAsLong();
            System.out.println("active from label " + label + ", now " + TimeSteps.label(java.time.Instant.now(), step));
            while (TimeSteps.label(java.time.Instant.now(), step) <= label) {
                Thread.sleep(100);
            }
            long reading = 10;
            for (TestMeter meter : meters.values()) {
                client.publish(Topics.ciphertext("smoke", parsed.epoch(), meter.id()), meter.ciphertextPayload(label, reading), 1, false);
                reading += 10;
            }
            StepResult result = results.poll(10, TimeUnit.SECONDS);
            System.out.println("result: " + result + " (expected sum 60)");
            System.out.println("http port " + headEnd.httpPort() + ", accepted " + headEnd.counters().ciphertextsAccepted()
                    + ", rejections " + headEnd.rejections());
            client.disconnect();
            client.close();
        }
    }
}
