package org.psametering.cli.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;

/**
 * An outsider with access to the broker (no ACL in the soak, as with a leaked meter credential): it overhears the group's
 * traffic and publishes garbage, oversized, forged and replayed messages on the ciphertext, blinded-key, public-key and
 * announcement topics. Everything is published without the retain flag, so it tests the receivers' validation, not the
 * broker's ACL (which production relies on to keep a stranger off the announcement topic).
 */
final class HostileClient implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HostileClient.class);
    static final List<TopicKind> TARGETS = List.of(TopicKind.CIPHERTEXT, TopicKind.BLINDED, TopicKind.PUBKEY, TopicKind.ANNOUNCE);
    /** One byte more than 1 MiB + 22 B, the largest real frame. */
    private static final int OVERSIZED_BYTES = 1024 * 1024 + 23;

    private final MqttClient client;
    private final String group;
    private final List<String> members;
    private final PsaParameters params;
    /** Newest real payload per topic kind and topic, overheard for replay. */
    private final Map<TopicKind, Map<String, byte[]>> overheard = new ConcurrentHashMap<>();
    private final Map<HostileKind, AtomicLong> sentByKind = new EnumMap<>(HostileKind.class);
    private final Map<TopicKind, AtomicLong> sentByTopic = new EnumMap<>(TopicKind.class);
    private final AtomicLong notSent = new AtomicLong();

    private HostileClient(MqttClient client, String group, List<String> members, PsaParameters params) {
        this.client = client;
        this.group = group;
        this.members = List.copyOf(members);
        this.params = params;
        for (HostileKind k : HostileKind.values()) {
            sentByKind.put(k, new AtomicLong());
        }
        for (TopicKind t : TARGETS) {
            sentByTopic.put(t, new AtomicLong());
            overheard.put(t, new ConcurrentHashMap<>());
        }
    }

    static HostileClient connect(String brokerUrl, String group, List<String> members, PsaParameters params) {
        try {
            MqttClient client = new MqttClient(brokerUrl, "hostile-" + UUID.randomUUID(), new MemoryPersistence());
            HostileClient hostile = new HostileClient(client, group, members, params);
            client.setTimeToWait(5_000);
            client.setCallback(hostile.new Overhearing());
            hostile.connectAndSubscribe();
            return hostile;
        } catch (MqttException e) {
            throw new IllegalStateException("the hostile client cannot connect to " + brokerUrl + ": " + e.getMessage(), e);
        }
    }

    /** Connects (clean session) and subscribes; the soak's bursts call it again after the broker was killed. */
    private void connectAndSubscribe() throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        client.connect(options);
        subscribe();
    }

    private void subscribe() throws MqttException {
        MqttSubscription everything = new MqttSubscription(Topics.ROOT + group + "/#", Topics.QOS);
        everything.setNoLocal(true); // overhear the system, not our own forgeries
        client.subscribe(new MqttSubscription[]{everything});
    }

    /** Publishes {@code count} hostile messages of random kinds on random targets; {@code label} is the step in progress. */
    void burst(Random random, int count, long label) {
        MqttException failure = null;
        if (!client.isConnected()) {
            // reconnecting here rather than with Paho's automatic reconnect, which did not come back after a broker SIGKILL
            try {
                connectAndSubscribe();
            } catch (MqttException e) {
                failure = e;
            }
        }
        for (int i = 0; i < count; i++) {
            HostileKind kind = pick(random);
            TopicKind target = TARGETS.get(random.nextInt(TARGETS.size()));
            Message m = switch (kind) {
                case GARBAGE -> new Message(topicFor(target, random), bytes(random, 1 + random.nextInt(200)));
                case OVERSIZED -> new Message(topicFor(target, random), bytes(random, OVERSIZED_BYTES));
                case FORGED -> forged(target, random, label);
                case REPLAYED -> replayed(target, random).orElseGet(() -> new Message(topicFor(target, random), bytes(random, 50)));
            };
            try {
                client.publish(m.topic(), new MqttMessage(m.payload(), Topics.QOS, false, null));
                sentByKind.get(kind).incrementAndGet();
                sentByTopic.get(target).incrementAndGet();
            } catch (MqttException e) {
                notSent.incrementAndGet(); // the broker is down or restarting: nothing reached the system
                failure = e;
            }
        }
        if (failure != null) {
            LOG.warn("soak: hostile messages not sent: {}", failure.toString());
        }
    }

    private static HostileKind pick(Random random) {
        int r = random.nextInt(100);
        return r < 3 ? HostileKind.OVERSIZED : r < 35 ? HostileKind.GARBAGE : r < 70 ? HostileKind.FORGED : HostileKind.REPLAYED;
    }

    private record Message(String topic, byte[] payload) {
    }

    private String topicFor(TopicKind target, Random random) {
        String meter = members.get(random.nextInt(members.size()));
        long epoch = currentEpoch();
        return switch (target) {
            case CIPHERTEXT -> Topics.ciphertext(group, epoch, meter);
            case BLINDED -> Topics.blindedKey(group, epoch, meter);
            case PUBKEY -> Topics.publicKey(group, epoch, meter);
            case ANNOUNCE -> Topics.announce(group);
            default -> throw new IllegalArgumentException("not a hostile target: " + target);
        };
    }

    private Message forged(TopicKind target, Random random, long label) {
        String topic = topicFor(target, random);
        Topic parsed = Topics.parse(topic);
        MessageKey guessed = parsed.meter().map(m -> MessageKey.derive(bytes(random, 32), group, parsed.epoch(), m)).orElse(null);
        return switch (target) {
            case CIPHERTEXT -> new Message(topic, CiphertextMessage.seal(
                    Encodings.encode(new Ciphertext(label, 0, random.nextInt(1 << 30)), params), guessed));
            case BLINDED -> new Message(topic, BlindedKeyMessage.seal(
                    overheardPayload(TopicKind.BLINDED, random).map(b -> bytes(random, b.length)).orElseGet(() -> bytes(random, 64)), guessed));
            // a public key that is not the meter's: same encoding header, other key bytes
            case PUBKEY -> new Message(topic, overheardPayload(TopicKind.PUBKEY, random)
                    .map(real -> withRandomTail(real, 32, random)).orElseGet(() -> bytes(random, Encodings.PUBLIC_KEY_LENGTH)));
            case ANNOUNCE -> new Message(topic, bogusAnnouncement(random).orElseGet(() -> bytes(random, 120)));
            default -> throw new IllegalArgumentException("not a hostile target: " + target);
        };
    }

    /** A later epoch with the real members and a made-up head-end key: meters must not be led into it (issue 8, item 3). */
    private Optional<byte[]> bogusAnnouncement(Random random) {
        return latestAnnouncement().map(real -> {
            long epoch = random.nextInt(10) == 0 ? Long.MAX_VALUE : real.epoch() + 1 + random.nextInt(1000);
            return new GroupAnnouncement(group, epoch, real.params(), real.stepSeconds(), real.members(),
                    withRandomTail(real.headEndPublicKey(), 32, random), GroupPhase.KEY_SETUP, java.util.OptionalLong.empty()).toJson();
        });
    }

    private Optional<Message> replayed(TopicKind target, Random random) {
        Map<String, byte[]> seen = overheard.get(target);
        List<String> topics = new ArrayList<>(seen.keySet());
        if (topics.isEmpty()) {
            return Optional.empty();
        }
        topics.sort(null); // a stable order, so the seed decides which one
        String original = topics.get(random.nextInt(topics.size()));
        byte[] payload = seen.get(original);
        if (target == TopicKind.ANNOUNCE) {
            return Optional.of(new Message(original, payload)); // an old announcement again
        }
        return Optional.of(switch (random.nextInt(3)) {
            case 0 -> new Message(original, payload); // as overheard: a duplicate
            case 1 -> new Message(topicFor(target, random), payload); // under another meter's name, most likely
            default -> new Message(original.replaceFirst("/" + group + "/\\d+/", "/" + group + "/" + (currentEpoch() + 1) + "/"), payload);
        });
    }

    private Optional<byte[]> overheardPayload(TopicKind kind, Random random) {
        Map<String, byte[]> seen = overheard.get(kind);
        List<String> topics = new ArrayList<>(seen.keySet());
        if (topics.isEmpty()) {
            return Optional.empty();
        }
        topics.sort(null);
        return Optional.of(seen.get(topics.get(random.nextInt(topics.size()))));
    }

    private Optional<GroupAnnouncement> latestAnnouncement() {
        byte[] payload = overheard.get(TopicKind.ANNOUNCE).get(Topics.announce(group));
        if (payload == null) {
            return Optional.empty();
        }
        try {
            // read, not believed: an eavesdropper can read the signed body, it just cannot sign a changed one
            return Optional.of(GroupAnnouncement.fromJson(org.psametering.protocol.SignedMessage.parse(payload).unverifiedBody()));
        } catch (MalformedMessageException e) {
            return Optional.empty();
        }
    }

    private long currentEpoch() {
        return latestAnnouncement().map(GroupAnnouncement::epoch).orElse(0L);
    }

    private static byte[] withRandomTail(byte[] real, int tail, Random random) {
        byte[] copy = real.clone();
        byte[] fresh = bytes(random, Math.min(tail, copy.length));
        System.arraycopy(fresh, 0, copy, copy.length - fresh.length, fresh.length);
        return copy;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    Map<HostileKind, Long> sentByKind() {
        Map<HostileKind, Long> copy = new EnumMap<>(HostileKind.class);
        sentByKind.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    Map<TopicKind, Long> sentByTopic() {
        Map<TopicKind, Long> copy = new EnumMap<>(TopicKind.class);
        sentByTopic.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    long sent() {
        return sentByKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Hostile messages that could not be published (broker down): they never reached the system. */
    long notSent() {
        return notSent.get();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // an attacker leaving: nothing to save
        }
    }

    private final class Overhearing implements MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                Topic parsed = Topics.parse(topic);
                Map<String, byte[]> seen = overheard.get(parsed.kind());
                if (seen != null && message.getPayload().length > 0) {
                    seen.put(topic, message.getPayload());
                }
            } catch (MalformedMessageException e) {
                // not a protocol topic: nothing worth replaying
            }
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            LOG.info("soak: hostile client disconnected: {}", response);
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info("soak: hostile client connected");
        }
    }
}
