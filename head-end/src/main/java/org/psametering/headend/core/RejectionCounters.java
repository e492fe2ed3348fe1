package org.psametering.headend.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counts of rejected messages per reason; metrics and the HTTP API read them. The totals include what
 * was counted before the last restart ({@link #restore}); {@link #unsaved} and {@link #saved} let the core persist the
 * increments with its batches.
 */
public final class RejectionCounters {
    private final EnumMap<RejectReason, LongAdder> counts = new EnumMap<>(RejectReason.class);
    private final EnumMap<RejectReason, Long> persisted = new EnumMap<>(RejectReason.class);

    public RejectionCounters() {
        for (RejectReason reason : RejectReason.values()) {
            counts.put(reason, new LongAdder());
            persisted.put(reason, 0L);
        }
    }

    public void count(RejectReason reason) {
        counts.get(reason).increment();
    }

    /** Adds the totals stored before a restart (names that are no reason any more are ignored). Core thread only. */
    public void restore(Map<String, Long> stored) {
        for (RejectReason reason : RejectReason.values()) {
            long base = stored.getOrDefault(reason.name(), 0L);
            counts.get(reason).add(base);
            persisted.merge(reason, base, Long::sum);
        }
    }

    /** The increments not yet saved, by reason name (only non-zero ones). Core thread only. */
    public Map<String, Long> unsaved() {
        Map<String, Long> deltas = new java.util.TreeMap<>();
        for (RejectReason reason : RejectReason.values()) {
            long delta = counts.get(reason).sum() - persisted.get(reason);
            if (delta != 0) {
                deltas.put(reason.name(), delta);
            }
        }
        return deltas;
    }

    /** {@code deltas} (from {@link #unsaved}) are stored. Core thread only. */
    public void saved(Map<String, Long> deltas) {
        deltas.forEach((name, delta) -> persisted.merge(RejectReason.valueOf(name), delta, Long::sum));
    }

    public long get(RejectReason reason) {
        return counts.get(reason).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A snapshot, every reason present (zero included) in declaration order. */
    public Map<RejectReason, Long> snapshot() {
        EnumMap<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
        counts.forEach((reason, adder) -> copy.put(reason, adder.sum()));
        return copy;
    }
}
