package org.psametering.cli.sim;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.psametering.meter.MeterListener;

/**
 * The simulator's ground truth: every plaintext reading a simulated meter encrypted, summed per label. Only the simulation
 * can know this (the head-end never sees a reading); the demo and the tests compare it with the decrypted aggregate.
 */
public final class TrueSums implements MeterListener {
    private record Key(String meterId, long label) {
    }

    private final Map<Key, Long> readings = new ConcurrentHashMap<>();
    private final Map<Long, Long> sums = new ConcurrentHashMap<>();
    private final Map<Long, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong reusedLabels = new AtomicLong();

    @Override
    public void onReadingEncrypted(String meterId, long label, long wattHours) {
        // A meter must never encrypt a label twice (that would leak under PSA); count it for the tests rather than throw
        // on the meter's worker thread.
        if (readings.putIfAbsent(new Key(meterId, label), wattHours) != null) {
            reusedLabels.incrementAndGet();
            return;
        }
        sums.merge(label, wattHours, Long::sum);
        counts.merge(label, 1, Integer::sum);
    }

    /** Sum of the readings encrypted for {@code label}, if {@code expectedMeters} meters have encrypted one. */
    public OptionalLong sumIfAll(long label, int expectedMeters) {
        Integer count = counts.get(label);
        return count != null && count == expectedMeters ? OptionalLong.of(sums.get(label)) : OptionalLong.empty();
    }

    /** Sum of whatever was encrypted for {@code label} so far (0 when nothing). */
    public long sum(long label) {
        return sums.getOrDefault(label, 0L);
    }

    /** How many meters encrypted a reading for {@code label}. */
    public int meters(long label) {
        return counts.getOrDefault(label, 0);
    }

    /** The reading one meter encrypted for a label, if it did. */
    public OptionalLong reading(String meterId, long label) {
        Long value = readings.get(new Key(meterId, label));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Every label some meter encrypted a reading for. */
    public java.util.Set<Long> labels() {
        return java.util.Set.copyOf(sums.keySet());
    }

    /** Times a meter encrypted a label it had already encrypted; must stay 0. */
    public long reusedLabels() {
        return reusedLabels.get();
    }
}
