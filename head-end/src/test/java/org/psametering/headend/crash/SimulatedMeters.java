package org.psametering.headend.crash;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.Topics;

/**
 * Ideal meters: they see every publication of the head-end (so no retained message is ever missed), publish each
 * key once per epoch, and report each label once under the epoch that covers it. They remember what they sent, which
 * is what the results must reflect. In a sparse epoch each blinds over its own per-meter key set. They also note
 * what a real meter would refuse ({@link #violations()}): an epoch announced again with a different mask graph, and
 * a key set for an epoch that differs from the one the meter already blinded for.
 */
final class SimulatedMeters {
    private final String group;
    private final FakeBroker broker;
    private final Map<Long, Map<String, TestMeter>> byEpoch = new TreeMap<>();
    private final Map<Long, List<String>> members = new HashMap<>();
    private final Map<Long, byte[]> announcements = new HashMap<>();
    /** The mask graph each epoch was first announced with (empty: the complete graph). */
    private final Map<Long, Optional<GraphSpec>> graphs = new HashMap<>();
    /** The key set each meter blinded for, by "epoch/meter". */
    private final Map<String, byte[]> blindedFor = new HashMap<>();
    private final Set<String> violations = new LinkedHashSet<>();
    private final TreeMap<Long, Long> activeFrom = new TreeMap<>();
    private final Set<String> blindedSent = new HashSet<>();
    private final Set<String> holdBlinded = new HashSet<>();
    private final Map<Long, Map<String, Long>> sent = new TreeMap<>();
    private final Map<String, byte[]> late = new HashMap<>();
    private int seen;

    private final MeterWork work;

    SimulatedMeters(String group, FakeBroker broker) {
        this(group, broker, null);
    }

    /** With {@code work} (may be null): the meters' answers remembered across the runs of a sweep. */
    SimulatedMeters(String group, FakeBroker broker, MeterWork work) {
        this.group = group;
        this.broker = broker;
        this.work = work;
    }

    /** The meter keeps its blinded key back until {@link #releaseBlinded()}, so activation is a flow of its own. */
    void holdBlinded(String meter) {
        holdBlinded.add(meter);
    }

    void holdBlinded(Collection<String> meters) {
        holdBlinded.addAll(meters);
    }

    void releaseBlinded() {
        holdBlinded.clear();
    }

    void releaseBlinded(String meter) {
        holdBlinded.remove(meter);
    }

    /** Reacts to everything the head-end published since the last call. */
    void react() {
        List<FakeBroker.Publication> all = broker.published();
        for (; seen < all.size(); seen++) {
            FakeBroker.Publication p = all.get(seen);
            if (p.topic().equals(Topics.announce(group))) {
                onAnnouncement(p.payload());
            }
        }
        for (var epoch : byEpoch.entrySet()) {
            boolean sparse = graphs.get(epoch.getKey()).isPresent();
            byte[] groupKeySet = broker.retained(Topics.keySet(group, epoch.getKey()));
            for (TestMeter meter : epoch.getValue().values()) {
                byte[] keySet = sparse ? broker.retained(Topics.meterKeySet(group, epoch.getKey(), meter.id())) : groupKeySet;
                if (keySet != null) {
                    blind(epoch.getKey(), meter, keySet, sparse);
                }
            }
        }
    }

    private void blind(long epoch, TestMeter meter, byte[] keySet, boolean sparse) {
        String key = epoch + "/" + meter.id();
        byte[] before = blindedFor.get(key);
        if (before != null && !Arrays.equals(before, keySet)) {
            violations.add("epoch " + epoch + ": meter " + meter.id() + " was sent a different key set after it blinded for one");
            return;
        }
        if (!holdBlinded.contains(meter.id()) && blindedSent.add(key)) {
            blindedFor.put(key, keySet);
            Supplier<byte[]> compute = () -> sparse ? meter.sparseBlindedKeyPayload(keySet) : meter.blindedKeyPayload(keySet);
            byte[] payload = work == null ? compute.get() : work.answer(meter, "blinded", keySet, compute);
            broker.fromMeter(Topics.blindedKey(group, epoch, meter.id()), payload, false);
        }
    }

    private void onAnnouncement(byte[] json) {
        GroupAnnouncement a = GroupAnnouncement.fromJson(json);
        Optional<GraphSpec> first = graphs.putIfAbsent(a.epoch(), a.maskGraph());
        if (first != null && !first.equals(a.maskGraph())) {
            violations.add("epoch " + a.epoch() + " announced with mask graph " + describe(a.maskGraph()) + " after " + describe(first));
        }
        if (a.phase() == GroupPhase.ACTIVE) {
            activeFrom.put(a.epoch(), a.activeFromLabel().orElseThrow());
            return;
        }
        if (byEpoch.containsKey(a.epoch()) && java.util.Arrays.equals(announcements.get(a.epoch()), json)) {
            return;
        }
        // a new epoch, or the same epoch with a new head-end key (it was not stored before a crash): start over
        Map<String, TestMeter> meters = new TreeMap<>();
        for (String id : a.members()) {
            Supplier<TestMeter> fresh = () -> new TestMeter(id, PsaParameters.byName(a.params()), CoreHarness.RANDOM);
            TestMeter meter = work == null ? fresh.get() : work.meter(id, json, fresh);
            meters.put(id, meter);
            blindedSent.remove(a.epoch() + "/" + id);
            blindedFor.remove(a.epoch() + "/" + id);
            byte[] publicKey = work == null ? meter.publicKeyPayload(json) : work.answer(meter, "pubkey", json, () -> meter.publicKeyPayload(json));
            broker.fromMeter(Topics.publicKey(group, a.epoch(), id), publicKey, true);
        }
        byEpoch.put(a.epoch(), meters);
        members.put(a.epoch(), a.members());
        announcements.put(a.epoch(), json);
    }

    /** The epoch whose key the meters use for {@code label}: the newest active one that starts at or before it. */
    long epochFor(long label) {
        return activeFrom.entrySet().stream().filter(e -> e.getValue() <= label).mapToLong(Map.Entry::getKey).max().orElseThrow();
    }

    /** Every member of the covering epoch except {@code silent} reports {@code label}. */
    void report(long label, Set<String> silent) {
        long epoch = epochFor(label);
        for (TestMeter meter : byEpoch.get(epoch).values()) {
            if (!silent.contains(meter.id())) {
                long reading = reading(meter.id(), label);
                // a remembered meter must not encrypt a label twice: the same ciphertext again instead
                byte[] payload = work == null ? meter.ciphertextPayload(label, reading)
                        : work.answer(meter, "ciphertext", (label + "/" + reading).getBytes(), () -> meter.ciphertextPayload(label, reading));
                broker.fromMeter(Topics.ciphertext(group, epoch, meter.id()), payload, false);
                sent.computeIfAbsent(label, l -> new TreeMap<>()).put(meter.id(), reading);
            }
        }
    }

    /**
     * {@code meter} sends its ciphertext of {@code label} late (after the step's recovery was requested): the head-end
     * must refuse it, so it is kept apart from what the results must reflect.
     */
    void sendLate(long label, String meter) {
        broker.fromMeter(Topics.ciphertext(group, epochFor(label), meter), latePayload(label, meter), false);
    }

    /** The late ciphertext of {@code meter} for {@code label} (a label is encrypted once: copies are the same bytes). */
    byte[] latePayload(long label, String meter) {
        TestMeter m = byEpoch.get(epochFor(label)).get(meter);
        return late.computeIfAbsent(label + "/" + meter, k -> m.ciphertextPayload(label, reading(meter, label)));
    }

    /** The meter of {@code epoch}, with its keys (for its recovery answers). */
    TestMeter meter(long epoch, String id) {
        return byEpoch.get(epoch).get(id);
    }

    static long reading(String meter, long label) {
        return 100L * meter.hashCode() % 1000 + label % 97 + 1;
    }

    Map<String, Long> sent(long label) {
        return sent.getOrDefault(label, Map.of());
    }

    Set<String> members(long epoch) {
        return new TreeSet<>(members.get(epoch));
    }

    Map<Long, Long> activeFrom() {
        return activeFrom;
    }

    /** The mask graph {@code epoch} was first announced with (empty: the complete graph); null if never announced. */
    Optional<GraphSpec> graph(long epoch) {
        return graphs.get(epoch);
    }

    /** What a real meter would have refused (see the class comment); empty when the head-end did nothing of it. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    private static String describe(Optional<GraphSpec> graph) {
        return graph.map(g -> "sparse(threshold " + g.threshold() + ", seed " + HexFormat.of().formatHex(g.seed(), 0, 4) + "..)")
                .orElse("complete");
    }
}
