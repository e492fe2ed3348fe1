package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.psametering.crypto.keysetup.AggregationKeys;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.MeterListener;
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
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;

/**
 * A group of agents plus a minimal head-end written in the test from the crypto API: it announces, publishes the key
 * set, combines the blinded keys into K, verifies each ciphertext's MAC and aggregates per label.
 */
final class GroupHarness {

    static final String GROUP = "street-7";
    static final int STEP = 900;
    static final PsaParameters PARAMS = PsaParameters.DEFAULT;

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(STEP * 2_000_000L + 17));
    final SecureRandom random = new SecureRandom();
    final Map<String, Member> members = new LinkedHashMap<>();
    /** True readings per label per meter, as reported by the listener. */
    final Map<Long, Map<String, Long>> truth = new TreeMap<>();
    final MeterListener listener = new MeterListener() {
        @Override
        public synchronized void onReadingEncrypted(String meterId, long label, long wattHours) {
            truth.computeIfAbsent(label, l -> new TreeMap<>()).put(meterId, wattHours);
        }
    };
    private final Map<Long, AgreementKeyPair> headEndKeys = new HashMap<>();
    private final Map<Long, KeySet> keySets = new HashMap<>();
    private final Map<Long, AggregationKey> aggregationKeys = new HashMap<>();
    private final Map<Long, GroupAnnouncement> announcements = new HashMap<>();
    private final Map<Long, KeySetMessage> keySetMessages = new HashMap<>();
    private final Map<Long, Map<String, BlindedKey>> blindedKeys = new HashMap<>();

    static final class Member {
        final String id;
        final FakeSensor sensor;
        final RecordingOutbound outbound = new RecordingOutbound();
        StateStore store;
        OutboxStore outboxStore;
        MeterAgent agent;

        Member(String id, FakeSensor sensor) {
            this.id = id;
            this.sensor = sensor;
        }
    }

    /** Each member's trust (identity, CA, CRL, minimum group size); a test may replace it and restart members. */
    java.util.function.Function<String, MeterTrust> trustOf = id -> TestTrust.meter(id, clock);
    private final Path dataRoot;
    /** Parameter set of the epochs this harness sets up. */
    final PsaParameters params;
    private final int minReporting;
    /** Step length of the epoch set up last (epochs may change it, as the head-end allows). */
    int stepSeconds = STEP;

    GroupHarness(List<String> ids) {
        this(ids, null);
    }

    /** With {@code dataRoot}, every member keeps state and outbox in files under {@code dataRoot/<id>}. */
    GroupHarness(List<String> ids, Path dataRoot) {
        this(ids, dataRoot, PARAMS, MeterAgent.Setup.DEFAULT_MIN_REPORTING);
    }

    /** With another parameter set (e.g. a recoverable one) and the members' minimum reporting set for recovery. */
    GroupHarness(List<String> ids, Path dataRoot, PsaParameters params, int minReporting) {
        this.dataRoot = dataRoot;
        this.params = params;
        this.minReporting = minReporting;
        for (String id : ids) {
            Member m = new Member(id, new FakeSensor(clock));
            m.outbound.autoAck = true;
            members.put(id, m);
            start(m, true);
        }
    }

    /** (Re)creates the member's agent over its stores, as a process restart would. */
    MeterAgent start(Member m, boolean connect) {
        if (m.store != null) {
            m.store.close();
        }
        if (dataRoot == null) {
            m.store = m.store == null ? StateStore.inMemory() : m.store;
            m.outboxStore = m.outboxStore == null ? OutboxStore.NONE : m.outboxStore; // a test's own stores survive restarts
        } else {
            try {
                m.store = FileStateStore.open(dataRoot.resolve(m.id));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            m.outboxStore = OutboxStore.file(dataRoot.resolve(m.id).resolve("outbox.bin"));
        }
        m.agent = new MeterAgent(new MeterAgent.Setup(m.id, GROUP, m.store, new Outbox(100, m.outboxStore), m.outbound,
                m.sensor, clock, Runnable::run, listener, random, AnnouncementLimits.DEFAULT,
                new org.psametering.crypto.recovery.RecoveryPolicy(minReporting), trustOf.apply(m.id),
                (meter, label) -> skipping.contains(meter)));
        if (connect) {
            m.agent.connected();
        }
        return m.agent;
    }

    Member member(String id) {
        return members.get(id);
    }

    /** What a broker re-delivers on (re)subscribe: the retained announcement and key set. */
    void redeliverRetained(Member m, long epoch) {
        m.agent.onMessage(Topics.announce(GROUP), TestTrust.signed(Topics.announce(GROUP), announcements.get(epoch).toJson()));
        m.agent.onMessage(Topics.keySet(GROUP, epoch), TestTrust.signed(Topics.keySet(GROUP, epoch), keySetMessages.get(epoch).toJson()));
    }

    long currentLabel() {
        return Math.floorDiv(clock.instant().getEpochSecond(), stepSeconds);
    }

    /** Runs the key setup of {@code epoch} to the ACTIVE announcement; returns activeFromLabel. */
    long setUpEpoch(long epoch) {
        return setUpEpoch(epoch, stepSeconds);
    }

    /** As {@link #setUpEpoch(long)} with another step length: the new epoch's labels count {@code seconds}-long steps. */
    long setUpEpoch(long epoch, int seconds) {
        stepSeconds = seconds;
        AgreementKeyPair headEnd = AgreementKeyPair.generate(random);
        headEndKeys.put(epoch, headEnd);
        GroupAnnouncement announce = new GroupAnnouncement(GROUP, epoch, params.name(), seconds, List.copyOf(members.keySet()),
                Encodings.encode(headEnd.publicKey()), GroupPhase.KEY_SETUP, OptionalLong.empty());
        broadcast(Topics.announce(GROUP), announce.toJson());
        afterAnnounce.run();
        afterAnnounce = () -> { };

        Map<String, byte[]> published = new TreeMap<>();
        for (Member m : members.values()) {
            List<RecordingOutbound.Sent> pubkeys = m.outbound.on(Topics.publicKey(GROUP, epoch, m.id));
            assertFalse(pubkeys.isEmpty(), m.id + " published its public key");
            assertEquals(true, pubkeys.get(pubkeys.size() - 1).retained(), "public keys are retained");
            published.put(m.id, pubkeys.get(pubkeys.size() - 1).payload());
        }
        SortedMap<MeterId, AgreementPublicKey> keys = new TreeMap<>();
        published.forEach((id, bytes) -> keys.put(new MeterId(id), Encodings.decodePublicKey(SignedPublicKey.parse(bytes).keyEncoding())));
        KeySet keySet = new KeySet(new GroupContext(GROUP, epoch, members.size(), params), keys);
        keySets.put(epoch, keySet);
        KeySetMessage keySetMessage = new KeySetMessage(GROUP, epoch, params.name(), published);
        keySetMessages.put(epoch, keySetMessage);
        broadcast(Topics.keySet(GROUP, epoch), keySetMessage.toJson());

        List<BlindedKey> blinded = new ArrayList<>();
        for (Member m : members.values()) {
            List<RecordingOutbound.Sent> sent = m.outbound.on(Topics.blindedKey(GROUP, epoch, m.id));
            assertFalse(sent.isEmpty(), m.id + " published its blinded key");
            assertFalse(sent.get(0).retained(), "blinded keys are not retained");
            byte[] body = BlindedKeyMessage.parse(sent.get(sent.size() - 1).payload()).verify(messageKey(epoch, m.id)).blindedKeyEncoding();
            BlindedKey key = Encodings.decodeBlindedKey(body, keySet);
            blinded.add(key);
            blindedKeys.computeIfAbsent(epoch, e -> new TreeMap<>()).put(m.id, key);
        }
        aggregationKeys.put(epoch, AggregationKeys.combine(keySet, blinded));
        beforeActive.run();
        beforeActive = () -> { };
        long activeFrom = currentLabel() + 1;
        GroupAnnouncement active = announce.activate(activeFrom);
        announcements.put(epoch, active);
        broadcast(Topics.announce(GROUP), active.toJson());
        return activeFrom;
    }

    void broadcast(String topic, byte[] payload) {
        if (topic.equals(Topics.announce(GROUP))) {
            latestAnnouncement = payload;
            // as the head-end's PerEpochAnnouncements does: the epoch's own retained copy
            String perEpoch = Topics.epochAnnounce(GROUP, GroupAnnouncement.fromJson(payload).epoch());
            retainedPerEpoch.put(perEpoch, payload);
            deliver(topic, payload);
            deliver(perEpoch, payload);
            return;
        }
        deliver(topic, payload);
    }

    private void deliver(String topic, byte[] payload) {
        for (Member m : members.values()) {
            if (!offline.contains(m.id)) {
                surviving(m, () -> m.agent.onMessage(topic, TestTrust.signed(topic, payload)));
            }
        }
    }

    /** Members that leave every step unreported on purpose (StepSkips) while this holds them. */
    final java.util.Set<String> skipping = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Members that receive nothing (their broker connection is down). */
    final java.util.Set<String> offline = new java.util.HashSet<>();
    /** Retained per-epoch announcements, by topic. */
    final Map<String, byte[]> retainedPerEpoch = new TreeMap<>();

    /** What the broker hands a member on reconnect: every retained announcement and key set, in the given order. */
    List<Runnable> retainedFor(Member m) {
        List<Runnable> all = new ArrayList<>();
        all.add(() -> m.agent.onMessage(Topics.announce(GROUP), TestTrust.signed(Topics.announce(GROUP), latestAnnouncement)));
        retainedPerEpoch.forEach((topic, payload) -> all.add(() -> m.agent.onMessage(topic, TestTrust.signed(topic, payload))));
        keySetMessages.forEach((epoch, keySet) -> all.add(() -> m.agent.onMessage(Topics.keySet(GROUP, epoch), TestTrust.signed(Topics.keySet(GROUP, epoch), keySet.toJson()))));
        return all;
    }

    /** Announces {@code epoch} (KEY_SETUP) to the members online, without running its key setup. */
    void announceOnly(long epoch, int seconds) {
        AgreementKeyPair headEnd = AgreementKeyPair.generate(random);
        headEndKeys.put(epoch, headEnd);
        broadcast(Topics.announce(GROUP), new GroupAnnouncement(GROUP, epoch, params.name(), seconds, List.copyOf(members.keySet()),
                Encodings.encode(headEnd.publicKey()), GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson());
    }

    /** Thrown by a test's storage to simulate the meter process dying at that call (an Error: nothing catches it). */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    /** Runs once, just after the next {@link #setUpEpoch} announced KEY_SETUP (e.g. to send forged announcements). */
    Runnable afterAnnounce = () -> { };

    /** Runs once, just before the next {@link #setUpEpoch} announces ACTIVE (e.g. to take a member offline). */
    Runnable beforeActive = () -> { };

    /** Crashes survived so far (each followed by a restart from what was persisted). */
    int crashes;
    private byte[] latestAnnouncement;

    /**
     * Runs {@code action} on a member; if its process "crashes", restarts it from its stores and lets the broker
     * redeliver what it would after a reconnect: the retained announcement and key sets.
     */
    void surviving(Member m, Runnable action) {
        try {
            action.run();
        } catch (SimulatedCrash crash) {
            crashes++;
            start(m, true);
            surviving(m, () -> {
                if (latestAnnouncement != null) {
                    m.agent.onMessage(Topics.announce(GROUP), TestTrust.signed(Topics.announce(GROUP), latestAnnouncement));
                }
                keySetMessages.forEach((epoch, keySet) -> m.agent.onMessage(Topics.keySet(GROUP, epoch), TestTrust.signed(Topics.keySet(GROUP, epoch), keySet.toJson())));
            });
        }
    }

    GroupAnnouncement activeAnnouncement(long epoch) {
        return announcements.get(epoch);
    }

    MessageKey messageKey(long epoch, String meter) {
        KeySet keySet = keySets.get(epoch);
        AgreementPublicKey meterKey = keySet == null ? null : keySet.publicKeyOf(new MeterId(meter));
        byte[] shared = headEndKeys.get(epoch).sharedSecret(meterKey);
        return MessageKey.derive(shared, GROUP, epoch, meter);
    }

    /** Every member uses {@code wh.get(i)} Wh, then the clock moves to the next boundary and all agents tick. */
    void step(long... wh) {
        stepOf(stepSeconds, wh);
    }

    /** Like {@link #step} but to the next multiple of {@code seconds}, whatever the epochs' step length. */
    void stepOf(int seconds, long... wh) {
        int i = 0;
        for (Member m : members.values()) {
            m.sensor.use(wh[i++]);
        }
        long next = (Math.floorDiv(clock.instant().getEpochSecond(), seconds) + 1) * seconds;
        clock.set(Instant.ofEpochSecond(next).plus(Duration.ofMillis(300)));
        tickAll();
    }

    void tickAll() {
        for (Member m : members.values()) {
            surviving(m, m.agent::tick);
        }
    }

    /** Ciphertexts published so far, verified, grouped by (epoch, label). */
    Map<Long, Map<Long, List<Ciphertext>>> ciphertexts() {
        Map<Long, Map<Long, List<Ciphertext>>> byEpoch = new TreeMap<>();
        for (Member m : members.values()) {
            for (RecordingOutbound.Sent s : m.outbound.on("/ct/")) {
                Topic topic = Topics.parse(s.topic());
                assertEquals(m.id, topic.meterId());
                byte[] body = CiphertextMessage.parse(s.payload()).verify(messageKey(topic.epoch(), m.id)).ciphertextEncoding();
                Ciphertext ct = Encodings.decodeCiphertext(body, params);
                List<Ciphertext> list = byEpoch.computeIfAbsent(topic.epoch(), e -> new TreeMap<>())
                        .computeIfAbsent(ct.label(), l -> new ArrayList<>());
                if (!list.contains(ct)) { // QoS 1 re-sends are duplicates, as the head-end sees them
                    list.add(ct);
                }
            }
        }
        return byEpoch;
    }

    long aggregate(long epoch, long label, List<Ciphertext> cts) {
        KeySet keySet = keySets.get(epoch);
        return new PsaAggregator(aggregationKeys.get(epoch), keySet.group()).aggregate(label, cts);
    }

    KeySet keySet(long epoch) {
        return keySets.get(epoch);
    }

    /** The blinded key a member sent in the key setup of {@code epoch} (a head-end keeps them for recovery). */
    BlindedKey blindedKey(long epoch, String meter) {
        return blindedKeys.get(epoch).get(meter);
    }

    AggregationKey aggregationKey(long epoch) {
        return aggregationKeys.get(epoch);
    }

    long trueSum(long label) {
        return truth.get(label).values().stream().mapToLong(Long::longValue).sum();
    }
}
