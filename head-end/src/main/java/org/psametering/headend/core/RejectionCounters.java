package org.psametering.headend.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counts of rejected messages per reason; metrics and the HTTP API read them. */
public final class RejectionCounters {
    private final EnumMap<RejectReason, LongAdder> counts = new EnumMap<>(RejectReason.class);

    public RejectionCounters() {
        for (RejectReason reason : RejectReason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    public void count(RejectReason reason) {
        counts.get(reason).increment();
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
