package org.psametering.hardware.energy;

/**
 * Extends readings of a counter narrower than a long (a meter register that rolls over at 99999.9 kWh, a 16- or
 * 32-bit hardware counter) into a monotonically growing total. Assumes it is read at least once per wrap period,
 * which any meter register or pulse counter polled every few minutes satisfies.
 */
public final class WrappingCounter {

    private final long modulus;
    private long lastRaw = -1;
    private long total;

    /** @param modulus the raw value at which the counter wraps to zero (2^16 for a 16-bit counter) */
    public WrappingCounter(long modulus) {
        if (modulus < 2) {
            throw new IllegalArgumentException("modulus must be >= 2, got " + modulus);
        }
        this.modulus = modulus;
    }

    /**
     * Feeds the next raw reading.
     *
     * @return the total increase since the first reading
     */
    public long update(long raw) {
        if (raw < 0 || raw >= modulus) {
            throw new IllegalArgumentException("raw counter value must be 0.." + (modulus - 1) + ", got " + raw);
        }
        if (lastRaw >= 0) {
            long delta = raw - lastRaw;
            if (delta < 0) {
                delta += modulus;
            }
            total = Math.addExact(total, delta);
        }
        lastRaw = raw;
        return total;
    }

    public long total() {
        return total;
    }
}
