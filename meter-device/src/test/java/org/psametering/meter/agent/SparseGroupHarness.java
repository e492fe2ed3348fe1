package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAggregator;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.outbox.OutboxStore;
import org.psametering.meter.store.FileStateStore;
import org.psametering.meter.store.StateStore;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;

/**
 * A sparse-graph group of agents and a head-end written in the test from the crypto API (shared-crypto README section
 * 13): a signed announcement with {@code maskGraph}, one per-meter key set per member cut with {@link MaskGraph} rows,
 * K from {@link BlindedKeySum}, aggregation and recovery. The meters' sparse-graph assumptions are lowered through
 * their configuration ({@link AnnouncementLimits#withSparseGraph}) so that 30 members form a real sparse graph, as
 * simulations lower {@code group.minMembers}; the defaults are not touched.
 */
final class SparseGroupHarness {

    static final String GROUP = "feeder-s";
    static final int STEP = 900;
    static final PsaParameters PARAMS = PsaParameters.RECOVERABLE;
    /** The meters' configured assumptions: 10 % dishonest, 10 % missing, 2^-16 (tests only). */
    static final GraphParameters GRAPH = new GraphParameters(0.1, 0.1, 16);
    static final AnnouncementLimits LIMITS = AnnouncementLimits.DEFAULT.withSparseGraph(GRAPH);
    static final int MIN_REPORTING = 5;
    /** Missing meters a step may have in these tests while every reporting meter keeps enough reporting neighbours. */
    static final int MAX_MISSING = 3;

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(STEP * 2_000_000L + 17));
    final SecureRandom random = new SecureRandom();
    final Map<String, GroupHarness.Member> members = new LinkedHashMap<>();
    final List<String> ids;
    final Map<Long, Map<String, Long>> truth = new TreeMap<>();
    final java.util.Set<String> skipping = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Path dataRoot;
    private final Map<Long, AgreementKeyPair> headEndKeys = new HashMap<>();
    private final Map<Long, GroupAnnouncement> announcements = new HashMap<>();
    private final Map<Long, MaskGraph> graphs = new HashMap<>();
    private final Map<Long, KeySet> keySets = new HashMap<>();
    private final Map<Long, Map<String, byte[]>> signedKeys = new HashMap<>();
    private final Map<Long, Map<String, BlindedKey>> blindedKeys = new HashMap<>();
    private final Map<Long, AggregationKey> aggregationKeys = new HashMap<>();

    SparseGroupHarness(int size, Path dataRoot) {
        this.dataRoot = dataRoot;
        List<String> all = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            all.add(String.format("m-%02d", i));
        }
        this.ids = List.copyOf(all);
        for (String id : ids) {
            GroupHarness.Member m = new GroupHarness.Member(id, new FakeSensor(clock));
            m.outbound.autoAck = true;
            members.put(id, m);
            start(m);
        }
    }

    /** (Re)creates the member's agent over its stores, as a process restart would. */
    MeterAgent start(GroupHarness.Member m) {
        if (m.store != null) {
            m.store.close();
        }
        if (dataRoot == null) {
            m.store = m.store == null ? StateStore.inMemory() : m.store;
            m.outboxStore = OutboxStore.NONE;
        } else {
            try {
                m.store = FileStateStore.open(dataRoot.resolve(m.id));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            m.outboxStore = OutboxStore.file(dataRoot.resolve(m.id).resolve("outbox.bin"));
        }
        org.psametering.meter.MeterListener listener = new org.psametering.meter.MeterListener() {
            @Override
            public void onReadingEncrypted(String meterId, long label, long wattHours) {
                truth.computeIfAbsent(label, l -> new TreeMap<>()).put(meterId, wattHours);
            }
        };
        m.agent = new MeterAgent(new MeterAgent.Setup(m.id, GROUP, m.store, new Outbox(100, m.outboxStore), m.outbound,
                m.sensor, clock, Runnable::run, listener, random, LIMITS, new RecoveryPolicy(MIN_REPORTING),
                TestTrust.meter(m.id, clock), (meter, label) -> skipping.contains(meter)));
        m.agent.connected();
        return m.agent;
    }

    GroupHarness.Member member(String id) {
        return members.get(id);
    }

    /** A seed whose rows all have room for {@link #MAX_MISSING} missing neighbours (the head-end may choose seeds). */
    private static GraphSpec spec(long epoch, int size) {
        long threshold = GRAPH.requiredThreshold(size);
        for (int attempt = 0; ; attempt++) {
            GraphSpec spec = new GraphSpec(sha256("sparse-harness/" + epoch + "/" + attempt), threshold);
            MaskGraph graph = MaskGraph.of(spec, GROUP, epoch, size);
            boolean ok = true;
            boolean sparse = false;
            for (int i = 0; i < size && ok; i++) {
                int row = graph.row(i).length;
                ok = row >= LIMITS.minimumRow() && row - MAX_MISSING >= GRAPH.minimumReportingNeighbours(row);
                sparse |= row < size - 1;
            }
            if (ok && sparse) {
                return spec;
            }
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Announces a sparse KEY_SETUP for {@code epoch}; returns the signed keys the members published. */
    Map<String, byte[]> announce(long epoch) {
        AgreementKeyPair headEnd = AgreementKeyPair.generate(random);
        headEndKeys.put(epoch, headEnd);
        GraphSpec spec = spec(epoch, ids.size());
        graphs.put(epoch, MaskGraph.of(spec, GROUP, epoch, ids.size()));
        GroupAnnouncement a = new GroupAnnouncement(GROUP, epoch, PARAMS.name(), STEP, ids, Encodings.encode(headEnd.publicKey()),
                GroupPhase.KEY_SETUP, OptionalLong.empty(), Optional.of(spec));
        announcements.put(epoch, a);
        broadcastAnnouncement(a);
        Map<String, byte[]> published = new TreeMap<>();
        SortedMap<MeterId, AgreementPublicKey> keys = new TreeMap<>();
        for (GroupHarness.Member m : members.values()) {
            List<RecordingOutbound.Sent> sent = m.outbound.on(Topics.publicKey(GROUP, epoch, m.id));
            assertFalse(sent.isEmpty(), m.id + " published its public key");
            byte[] signed = sent.get(sent.size() - 1).payload();
            published.put(m.id, signed);
            keys.put(new MeterId(m.id), Encodings.decodePublicKey(SignedPublicKey.parse(signed).keyEncoding()));
        }
        signedKeys.put(epoch, published);
        keySets.put(epoch, new KeySet(new GroupContext(GROUP, epoch, ids.size(), PARAMS), keys));
        return published;
    }

    GroupAnnouncement announcement(long epoch) {
        return announcements.get(epoch);
    }

    void broadcastAnnouncement(GroupAnnouncement a) {
        for (GroupHarness.Member m : members.values()) {
            deliver(m, Topics.announce(GROUP), a.toJson());
            deliver(m, Topics.epochAnnounce(GROUP, a.epoch()), a.toJson());
        }
    }

    /** The member's neighbours in the epoch's graph. */
    List<String> neighbours(long epoch, String id) {
        return java.util.Arrays.stream(graphs.get(epoch).row(ids.indexOf(id))).mapToObj(ids::get).toList();
    }

    /** The honest per-meter key set of {@code id}: its own and its neighbours' signed keys, with it as recipient. */
    KeySetMessage keySetFor(long epoch, String id) {
        Map<String, byte[]> cut = new TreeMap<>();
        cut.put(id, signedKeys.get(epoch).get(id));
        neighbours(epoch, id).forEach(n -> cut.put(n, signedKeys.get(epoch).get(n)));
        return new KeySetMessage(GROUP, epoch, PARAMS.name(), cut, Optional.of(id));
    }

    /** Signed by the head-end and delivered on {@code topic} to one member, as the broker would. */
    void deliver(GroupHarness.Member m, String topic, byte[] payload) {
        m.agent.onMessage(topic, TestTrust.signed(topic, payload));
    }

    void sendKeySets(long epoch) {
        for (GroupHarness.Member m : members.values()) {
            deliver(m, Topics.meterKeySet(GROUP, epoch, m.id), keySetFor(epoch, m.id).toJson());
        }
    }

    MessageKey messageKey(long epoch, String meter) {
        byte[] shared = headEndKeys.get(epoch).sharedSecret(keySets.get(epoch).publicKeyOf(new MeterId(meter)));
        return MessageKey.derive(shared, GROUP, epoch, meter);
    }

    /** The newest blinded key each member sent, verified and decoded; K from all of them. */
    void collectBlinded(long epoch) {
        KeySet keySet = keySets.get(epoch);
        BlindedKeySum sum = new BlindedKeySum(keySet);
        Map<String, BlindedKey> byMeter = new TreeMap<>();
        for (GroupHarness.Member m : members.values()) {
            List<RecordingOutbound.Sent> sent = m.outbound.on(Topics.blindedKey(GROUP, epoch, m.id));
            assertFalse(sent.isEmpty(), m.id + " published its blinded key");
            byte[] body = BlindedKeyMessage.parse(sent.get(sent.size() - 1).payload()).verify(messageKey(epoch, m.id))
                    .blindedKeyEncoding();
            BlindedKey key = Encodings.decodeBlindedKey(body, keySet);
            byMeter.put(m.id, key);
            sum.add(key);
        }
        blindedKeys.put(epoch, byMeter);
        aggregationKeys.put(epoch, sum.aggregationKey());
    }

    /** Announces ACTIVE from the next label; returns it. */
    long activate(long epoch) {
        long from = currentLabel() + 1;
        GroupAnnouncement active = announcements.get(epoch).activate(from);
        announcements.put(epoch, active);
        broadcastAnnouncement(active);
        return from;
    }

    long setUpEpoch(long epoch) {
        announce(epoch);
        sendKeySets(epoch);
        collectBlinded(epoch);
        return activate(epoch);
    }

    /** What the broker hands a member on reconnect: the retained announcements and its own per-meter key sets. */
    void redeliverRetained(GroupHarness.Member m) {
        announcements.forEach((epoch, a) -> {
            deliver(m, Topics.announce(GROUP), a.toJson());
            deliver(m, Topics.epochAnnounce(GROUP, epoch), a.toJson());
            if (signedKeys.containsKey(epoch)) {
                deliver(m, Topics.meterKeySet(GROUP, epoch, m.id), keySetFor(epoch, m.id).toJson());
            }
        });
    }

    long currentLabel() {
        return Math.floorDiv(clock.instant().getEpochSecond(), STEP);
    }

    /** Member i uses {@code wh(i)} Wh, then the clock moves to the next boundary and all agents tick. */
    void step(java.util.function.IntToLongFunction wh) {
        int i = 0;
        for (GroupHarness.Member m : members.values()) {
            m.sensor.use(wh.applyAsLong(i++));
        }
        long next = (Math.floorDiv(clock.instant().getEpochSecond(), STEP) + 1) * STEP;
        clock.set(Instant.ofEpochSecond(next).plus(Duration.ofMillis(300)));
        members.values().forEach(m -> m.agent.tick());
    }

    /** Steps until {@code label} is the current one (the epoch active from it), then returns it. */
    void stepTo(long label) {
        while (currentLabel() < label) {
            step(i -> 0);
        }
    }

    /** Each member's ciphertext for {@code label}, verified under its MAC key. */
    Map<MeterId, Ciphertext> ciphertexts(long epoch, long label) {
        Map<MeterId, Ciphertext> out = new TreeMap<>();
        for (GroupHarness.Member m : members.values()) {
            for (RecordingOutbound.Sent s : m.outbound.on(Topics.ciphertext(GROUP, epoch, m.id))) {
                Topic topic = Topics.parse(s.topic());
                byte[] body = CiphertextMessage.parse(s.payload()).verify(messageKey(topic.epoch(), m.id)).ciphertextEncoding();
                Ciphertext ct = Encodings.decodeCiphertext(body, PARAMS);
                if (ct.label() == label) {
                    out.put(new MeterId(m.id), ct);
                }
            }
        }
        return out;
    }

    long aggregate(long epoch, long label) {
        return new PsaAggregator(aggregationKeys.get(epoch), keySets.get(epoch).group())
                .aggregate(label, new ArrayList<>(ciphertexts(epoch, label).values()));
    }

    long trueSum(long label, Set<String> except) {
        return truth.get(label).entrySet().stream().filter(e -> !except.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** Publishes a recovery request (signed) to every member. */
    void requestRecovery(long epoch, long label, Set<String> missing) {
        byte[] json = new RecoveryRequestMessage(GROUP, epoch, label, List.copyOf(new TreeSet<>(missing))).toJson();
        members.values().forEach(m -> deliver(m, Topics.recovery(GROUP, epoch), json));
    }

    /** The answers the reporting members sent for the request (newest each), verified and decoded. */
    Map<MeterId, RecoveryAnswer> answers(long epoch, Set<String> missing) {
        Map<MeterId, RecoveryAnswer> out = new TreeMap<>();
        for (GroupHarness.Member m : members.values()) {
            List<RecordingOutbound.Sent> sent = m.outbound.on(Topics.recoveryAnswer(GROUP, epoch, m.id));
            if (!sent.isEmpty()) {
                byte[] body = RecoveryAnswerMessage.parse(sent.get(sent.size() - 1).payload()).verify(messageKey(epoch, m.id))
                        .answerEncoding();
                out.put(new MeterId(m.id), Encodings.decodeRecoveryAnswer(body, PARAMS));
            }
        }
        return out;
    }

    /** The head-end's recovery: the exact sum over the reporting members (throws if an answer is missing or wrong). */
    long recover(long epoch, long label, Set<String> missing) {
        KeySet keySet = keySets.get(epoch);
        TreeSet<MeterId> missingIds = new TreeSet<>();
        missing.forEach(id -> missingIds.add(new MeterId(id)));
        RecoveryRequest request = new RecoveryRequest(keySet.group(), label, missingIds);
        Map<MeterId, BlindedKey> missingKeys = new TreeMap<>();
        missing.forEach(id -> missingKeys.put(new MeterId(id), blindedKeys.get(epoch).get(id)));
        Map<MeterId, Ciphertext> reporting = ciphertexts(epoch, label);
        missingIds.forEach(reporting::remove);
        Map<MeterId, RecoveryAnswer> answers = answers(epoch, missing);
        assertEquals(reporting.keySet(), answers.keySet(), "one answer per reporting member");
        return new RecoveryAggregator(aggregationKeys.get(epoch), keySet).recover(request, missingKeys, reporting, answers);
    }

    BlindedKey blindedKey(long epoch, String meter) {
        return blindedKeys.get(epoch).get(meter);
    }
}
