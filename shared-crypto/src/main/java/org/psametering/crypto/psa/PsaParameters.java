package org.psametering.crypto.psa;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A named PSA parameter set: LWR dimension n, q = 2^logQ (always 2^128) and p = 2^logP, with its quantum core-SVP
 * estimate (see shared-crypto/README.md for how it was obtained). The id is what the wire formats carry.
 *
 * @param quantumCoreSvpBits best of primal and dual attack, quantum core-SVP model (0 = not estimated)
 */
public record PsaParameters(String name, int id, int n, int logQ, int logP, int quantumCoreSvpBits) {

    /** The security level this project requires of a production parameter set. */
    public static final int TARGET_QUANTUM_BITS = 128;

    /**
     * The parameters published with the key-homomorphic PRF PSA (Ernst and Koch 2021): n = 2096, q = 2^128, p = 2^85.
     * Estimated at about 79 bits quantum core-SVP, i.e. BELOW the target: kept only for comparison with the reference.
     */
    public static final PsaParameters KHPRF_2021 = new PsaParameters("khprf-2021", 1, 2096, 128, 85, 78);

    /** The default: n = 3072, q = 2^128, p = 2^85, about 135 bits quantum core-SVP (149 classical). */
    public static final PsaParameters DEFAULT = new PsaParameters("lwr-3072-q128-p85", 2, 3072, 128, 85, 135);

    private static final List<PsaParameters> ALL = List.of(DEFAULT, KHPRF_2021);

    public PsaParameters {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9.-]{1,64}")) {
            throw new IllegalArgumentException("parameter set name must match [a-z0-9.-]{1,64}: " + name);
        }
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("parameter set id must be in 1..65535, got " + id);
        }
        if (n < 1 || n > (1 << 20)) {
            throw new IllegalArgumentException("dimension n must be in 1..2^20, got " + n);
        }
        if (logQ != 128) {
            throw new IllegalArgumentException("only q = 2^128 is implemented, got logQ = " + logQ);
        }
        if (logP <= 64 || logP >= 128) {
            throw new IllegalArgumentException("logP must be in 65..127, got " + logP);
        }
        if (quantumCoreSvpBits < 0) {
            throw new IllegalArgumentException("security estimate must not be negative");
        }
    }

    /** The named sets, default first. */
    public static List<PsaParameters> all() {
        return ALL;
    }

    /** The set with this name; IllegalArgumentException listing the valid names otherwise. */
    public static PsaParameters byName(String name) {
        for (PsaParameters p : ALL) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown PSA parameter set '" + name + "'; valid: " + names());
    }

    /** The set with this wire id; IllegalArgumentException listing the valid ids otherwise. */
    public static PsaParameters byId(int id) {
        for (PsaParameters p : ALL) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown PSA parameter set id " + id + "; valid: "
                + ALL.stream().map(p -> p.id + " (" + p.name + ")").collect(Collectors.joining(", ")));
    }

    private static String names() {
        return ALL.stream().map(PsaParameters::name).collect(Collectors.joining(", "));
    }

    public boolean meetsSecurityTarget() {
        return quantumCoreSvpBits >= TARGET_QUANTUM_BITS;
    }

    /**
     * Largest reading x such that the sum of groupSize readings each in [0, x] decrypts exactly: the encoding scales a
     * reading by N = groupSize and the aggregate carries a rounding error in [-(N-1), 0], so exactness needs
     * N * (N * x + 1) &lt; p; additionally N * x must fit in a long. Throws if the group is too large for any reading.
     */
    public long maxReading(int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be positive, got " + groupSize);
        }
        BigInteger bigN = BigInteger.valueOf(groupSize);
        BigInteger room = BigInteger.ONE.shiftLeft(logP).subtract(bigN).subtract(BigInteger.ONE)
                .divide(bigN.multiply(bigN));
        if (room.signum() <= 0) {
            throw new IllegalArgumentException("group size " + groupSize + " leaves no plaintext room with p = 2^"
                    + logP + " (parameter set " + name + ")");
        }
        long longCap = Long.MAX_VALUE / groupSize;
        return room.bitLength() < 63 ? Math.min(room.longValueExact(), longCap) : longCap;
    }

    /** Bytes of one vector in Z_q^n (16 per element). */
    public int vectorBytes() {
        return 16 * n;
    }

    @Override
    public String toString() {
        return name + "(n=" + n + ", q=2^" + logQ + ", p=2^" + logP + ", ~" + quantumCoreSvpBits + " bits quantum)";
    }
}
