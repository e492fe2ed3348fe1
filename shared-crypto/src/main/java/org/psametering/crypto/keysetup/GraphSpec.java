package org.psametering.crypto.keysetup;

import java.util.Objects;

/**
 * The sparse mask graph's public parameters as the head-end announces them: a 32-byte random seed and the edge
 * threshold (an unsigned 64-bit integer; edge probability threshold / 2^64). See {@link MaskGraph}.
 */
public record GraphSpec(byte[] seed, long threshold) {

    public GraphSpec {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != MaskGraph.SEED_BYTES) {
            throw new IllegalArgumentException("graph seed must be " + MaskGraph.SEED_BYTES + " bytes, was " + seed.length);
        }
        if (threshold == 0) {
            throw new IllegalArgumentException("graph threshold 0 gives a graph without edges");
        }
        seed = seed.clone();
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    /** The edge probability threshold / 2^64 (for display and checks, not for the edge test). */
    public double probability() {
        return unsignedToDouble(threshold) / 0x1p64;
    }

    static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphSpec other && threshold == other.threshold && java.util.Arrays.equals(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(seed) + Long.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "GraphSpec[threshold=" + Long.toUnsignedString(threshold) + "]";
    }
}
