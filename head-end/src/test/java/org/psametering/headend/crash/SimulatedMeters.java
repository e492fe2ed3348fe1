package org.psametering.headend.crash;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.Topics;

/**
 * Ideal meters: they see every publication of the head-end (so no retained message is ever missed), publish each
 * key once per epoch, and report each label once under the epoch that covers it. They remember what they sent, which
 * is what the results must reflect.
 */
final class SimulatedMeters {
    private final String group;
    private final FakeBroker broker;
    private final Map<Long, Map<String, TestMeter>> byEpoch = new TreeMap<>();
    private final Map<Long, List<String>> members = new HashMap<>();
    private final Map<Long, byte[]> announcements = new HashMap<>();
    private final TreeMap<Long, Long> activeFrom = new TreeMap<>();
    private final Set<String> blindedSent = new HashSet<>();
    private final Set<String> holdBlinded = new HashSet<>();
    private final Map<Long, Map<String, Long>> sent = new TreeMap<>();
    private final Map<String, byte[]> late = new HashMap<>();
    private int seen;

    SimulatedMeters(String group, FakeBroker broker) {
        this.group = group;
        this.broker = broker;
    }

    /** The meter keeps its blinded key back until {@link #releaseBlinded()}, so activation is a flow of its own. */
    void holdBlinded(String meter) {
        holdBlinded.add(meter);
    }

    void releaseBlinded() {
        holdBlinded.clear();
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
            byte[] keySet = broker.retained(Topics.keySet(group, epoch.getKey()));
            if (keySet == null) {
                continue;
            }
            for (TestMeter meter : epoch.getValue().values()) {
                String key = epoch.getKey() + "/" + meter.id();
                if (!holdBlinded.contains(meter.id()) && blindedSent.add(key)) {
                    broker.fromMeter(Topics.blindedKey(group, epoch.getKey(), meter.id()), meter.blindedKeyPayload(keySet), false);
                }
            }
        }
    }

    private void onAnnouncement(byte[] json) {
        GroupAnnouncement a = GroupAnnouncement.fromJson(json);
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
            TestMeter meter = new TestMeter(id, PsaParameters.byName(a.params()), CoreHarness.RANDOM);
            meters.put(id, meter);
            blindedSent.remove(a.epoch() + "/" + id);
            broker.fromMeter(Topics.publicKey(group, a.epoch(), id), meter.publicKeyPayload(json), true);
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
                broker.fromMeter(Topics.ciphertext(group, epoch, meter.id()), meter.ciphertextPayload(label, reading), false);
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
}
