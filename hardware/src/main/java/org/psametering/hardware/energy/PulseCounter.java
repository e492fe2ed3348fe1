package org.psametering.hardware.energy;

/**
 * Counts pulse edges, rejecting contact bounce: an edge within the debounce time of the last counted pulse is dropped.
 *
 * <p>Timestamps are monotonic nanoseconds ({@link System#nanoTime()} style). They are compared by subtraction, so the
 * counter stays correct when the nanosecond counter wraps around. The pulse count is a {@code long}: at 10000 imp/kWh
 * it cannot overflow in any meter's lifetime. Thread-safe: edges arrive on Pi4J's event thread, reads on the meter's.
 */
public final class PulseCounter {

    private final long debounceNanos;
    private long pulses;
    private long bounces;
    private long lastPulseNanos;
    private long lastIntervalNanos = -1;

    public PulseCounter(long debounceNanos) {
        if (debounceNanos < 0) {
            throw new IllegalArgumentException("debounceNanos must be >= 0, got " + debounceNanos);
        }
        this.debounceNanos = debounceNanos;
    }

    /**
     * Records an edge into the pulse state.
     *
     * @return whether it counted as a new pulse (false: bounce)
     */
    public synchronized boolean onPulseEdge(long nanoTime) {
        if (pulses > 0) {
            long sinceLast = nanoTime - lastPulseNanos;
            if (sinceLast < debounceNanos) {
                bounces++;
                return false;
            }
            lastIntervalNanos = sinceLast;
        }
        lastPulseNanos = nanoTime;
        pulses++;
        return true;
    }

    public synchronized long pulses() {
        return pulses;
    }

    /** Edges dropped as bounce; a growing number hints at bad wiring or a too-long debounce. */
    public synchronized long bounces() {
        return bounces;
    }

    /** A consistent view of the counter for power estimation. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(pulses, lastPulseNanos, lastIntervalNanos);
    }

    /**
     * @param pulses            pulses counted
     * @param lastPulseNanos    timestamp of the last counted pulse (meaningless when pulses == 0)
     * @param lastIntervalNanos time between the last two counted pulses, -1 before the second pulse
     */
    public record Snapshot(long pulses, long lastPulseNanos, long lastIntervalNanos) {
    }
}
