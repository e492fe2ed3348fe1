package org.psametering.cli.system;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.SigningIdentity;

/**
 * A head-end that does not follow the protocol, as an MQTT client on the real broker: it signs with a head-end identity
 * the meters trust (the supplier's own key), announces epochs of its choosing, collects the meters' signed keys and
 * publishes key sets it manipulated. It also listens to the blinded-key topics (a broker without ACL lets it), so a test
 * can show that no meter blinded its key for a manipulated set.
 */
final class RogueHeadEnd implements AutoCloseable {

    private final MqttClient client;
    private final String group;
    private final SigningIdentity identity;
    private final PsaParameters params;
    private final Map<String, byte[]> publicKeys = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blindedKeys = new ConcurrentHashMap<>();

    RogueHeadEnd(String brokerUrl, String group, SigningIdentity identity, PsaParameters params) throws MqttException {
        this.group = group;
        this.identity = identity;
        this.params = params;
        this.client = new MqttClient(brokerUrl, "rogue-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback((MessageCallback) this::onMessage);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
        client.connect(options);
        client.subscribe(new String[]{Topics.ROOT + group + "/+/pubkey/+", Topics.ROOT + group + "/+/blinded/+"}, new int[]{1, 1});
    }

    private void onMessage(String topic, MqttMessage message) {
        Topic parsed = Topics.parse(topic);
        String key = parsed.epoch() + "/" + parsed.meterId();
        if (parsed.kind() == TopicKind.PUBKEY && message.getPayload().length > 0) {
            publicKeys.put(key, message.getPayload());
        } else if (parsed.kind() == TopicKind.BLINDED) {
            blindedKeys.put(key, message.getPayload());
        }
    }

    /** A signed KEY_SETUP announcement of {@code epoch} with these members (retained, as the real head-end's). */
    void announce(long epoch, List<String> members) throws MqttException {
        byte[] headEndKey = Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
        byte[] body = new GroupAnnouncement(group, epoch, params.name(), SystemRig.STEP_SECONDS, members, headEndKey,
                GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson();
        byte[] signed = SignedMessage.sign(identity, SignedMessage.Kind.ANNOUNCEMENT, body).encode();
        client.publish(Topics.epochAnnounce(group, epoch), signed, 1, true);
    }

    /** Waits until every one of {@code meters} published its (signed) key for {@code epoch}; returns them by meter. */
    Map<String, byte[]> awaitPublicKeys(long epoch, Collection<String> meters, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, byte[]> keys = new TreeMap<>();
            for (String meter : meters) {
                byte[] key = publicKeys.get(epoch + "/" + meter);
                if (key != null) {
                    keys.put(meter, key);
                }
            }
            if (keys.size() == meters.size()) {
                return keys;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + keys.keySet() + " of " + meters + " published a key for epoch " + epoch);
            }
            Thread.sleep(50);
        }
    }

    /** A signed key set of {@code epoch} with exactly these entries (retained). */
    void publishKeySet(long epoch, Map<String, byte[]> keys) throws MqttException {
        byte[] body = new KeySetMessage(group, epoch, params.name(), keys).toJson();
        client.publish(Topics.keySet(group, epoch), SignedMessage.sign(identity, SignedMessage.Kind.KEY_SET, body).encode(), 1, true);
    }

    /** Blinded keys seen on {@code epoch}'s topics (none may come for a manipulated key set). */
    List<String> blindedKeysOf(long epoch) {
        return blindedKeys.keySet().stream().filter(k -> k.startsWith(epoch + "/")).sorted().toList();
    }

    /** Has any meter published a key for {@code epoch}? */
    boolean anyPublicKey(long epoch) {
        return publicKeys.keySet().stream().anyMatch(k -> k.startsWith(epoch + "/"));
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
