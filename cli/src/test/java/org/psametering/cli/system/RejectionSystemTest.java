package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.core.RejectReason;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * An attacker with broker access publishes garbage, a ciphertext under a key it made up, a real ciphertext replayed
 * as-is and one replayed under another meter's topic. The head-end counts each under its reason and the aggregates are
 * still exactly the meters' sums.
 */
class RejectionSystemTest {
    private static final int METERS = 3;
    private static final String GROUP = "g-reject";

    @Test
    void malformedDuplicateAndForgedMessagesAreRejectedAndCounted(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, GROUP, METERS, METERS, SystemRig.STEP_SECONDS / 2)) {
            MqttClient attacker = new MqttClient(rig.broker.url(), "attacker-" + UUID.randomUUID(), new MemoryPersistence());
            BlockingQueue<byte[]> captured = new ArrayBlockingQueue<>(64);
            attacker.setCallback(new CapturingCallback(captured));
            attacker.connect(new MqttConnectionOptions());
            String victim = SystemRig.memberIds(1).get(0);
            String other = SystemRig.memberIds(2).get(1);
            attacker.subscribe(Topics.ciphertext(GROUP, 0, victim), 1);

            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            byte[] real = captured.poll(30, TimeUnit.SECONDS);
            assertTrue(real != null, "the test could not observe a real ciphertext");

            // Aim the forgeries at the step in progress, before the victim sends its own ciphertext for it.
            long current = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS);
            byte[] forged = forgedCiphertext(current, victim);
            publish(attacker, Topics.ciphertext(GROUP, 0, victim), new byte[]{1, 1, 0, 0, 0, 9, 42});
            publish(attacker, Topics.ciphertext(GROUP, 0, victim), forged);
            publish(attacker, Topics.ciphertext(GROUP, 0, victim), real);
            publish(attacker, Topics.ciphertext(GROUP, 0, other), real);

            for (long label = first + 1; label <= first + 3; label++) {
                rig.assertExact(label, METERS);
            }
            assertEquals(1, rig.rejected(RejectReason.MALFORMED), "garbage payload");
            assertEquals(2, rig.rejected(RejectReason.FORGED), "made-up key, and a real ciphertext under another meter's topic");
            assertEquals(1, rig.rejected(RejectReason.DUPLICATE), "replayed real ciphertext");
            attacker.disconnect();
            attacker.close();
        }
    }

    /** Keeps what the attacker overhears (its subscription is the victim's ciphertext topic only). */
    private record CapturingCallback(BlockingQueue<byte[]> captured) implements MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            captured.offer(message.getPayload());
        }





    }

    private static byte[] forgedCiphertext(long label, String meter) {
        byte[] guessedSecret = new byte[32];
        new SecureRandom().nextBytes(guessedSecret);
        MessageKey wrongKey = MessageKey.derive(guessedSecret, GROUP, 0, meter);
        byte[] encoding = Encodings.encode(new Ciphertext(label, 0, 123_456_789), SystemRig.PARAMS);
        return CiphertextMessage.seal(encoding, wrongKey);
    }

    private static void publish(MqttClient client, String topic, byte[] payload) throws Exception {
        client.publish(topic, new MqttMessage(payload, 1, false, null));
    }
}
