package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;

/**
 * Garbage far larger than any real frame, published on a ciphertext topic, must not reach the head-end's heap (100 of
 * them at 10 MB drove it to 3.8 GB): the head-end advertises an MQTT 5 Maximum Packet Size and the broker drops what
 * exceeds it. Small garbage still arrives and is counted; real steps go on being summed exactly.
 */
class OversizedMessageSystemTest {
    private static final int METERS = 2;

    @Test
    void theBrokerDropsWhatExceedsTheHeadEndsMaximumPacketSize(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-oversize", METERS, METERS, SystemRig.STEP_SECONDS / 3)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            String topic = Topics.ciphertext("g-oversize", 0, "m-000");
            long before = totalRejections(rig);
            MqttClient attacker = new MqttClient(rig.broker.url(), "attacker-" + UUID.randomUUID(), new MemoryPersistence());
            try {
                attacker.connect(new MqttConnectionOptions());
                // in order on one connection, so the broker forwards them to the head-end in this order (or drops them)
                attacker.publish(topic, new byte[3 * PacketLimits.HEAD_END_MAX_PACKET_BYTES], 1, false);
                attacker.publish(topic, new byte[PacketLimits.HEAD_END_MAX_PACKET_BYTES + 1], 1, false);
                attacker.publish(topic, new byte[5], 1, false);
                BrokerKillSystemTest.awaitCondition("the small garbage is counted", () -> totalRejections(rig) >= before + 1);
                attacker.publish(topic, new byte[7], 1, false);
                BrokerKillSystemTest.awaitCondition("the second small garbage is counted", () -> totalRejections(rig) >= before + 2);
            } finally {
                attacker.disconnect();
                attacker.close();
            }
            // both oversized messages came before the small ones: had the broker forwarded them, they would be counted too
            assertEquals(before + 2, totalRejections(rig), "rejections " + rig.rejections());
            rig.assertExact(first + 2, METERS);
        }
    }

    private static long totalRejections(SystemRig rig) {
        return rig.rejections().values().stream().mapToLong(Long::longValue).sum();
    }
}
