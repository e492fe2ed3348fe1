package org.psametering.crypto.psa;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A named PSA parameter set: LWR dimension n, q = 2^logQ (always 2^128) and p = 2^logP, with its quantum core-SVP
 * estimate (see shared-crypto/README.md for how it was obtained), and the scheme version (reading encoding) it uses.
 * The id is what the wire formats carry; it is hashed into H(t) and every pairwise mask, so two sets never share keys.
 *
 * @param quantumCoreSvpBits best of primal and dual attack, quantum core-SVP model (0 = not estimated)
 * @param scheme             how readings are encoded; only {@link PsaScheme#V2_RECOVERABLE} supports recovery
 */
public record PsaParameters(String name, int id, int n, int logQ, int logP, int quantumCoreSvpBits,
                            PsaScheme scheme) {

    /** The security level this project requires of a production parameter set. */
    public static final int TARGET_QUANTUM_BITS = 128;

    /**
     * The parameters published with the key-homomorphic PRF PSA (Ernst and Koch 2021): n = 2096, q = 2^128, p = 2^85.
     * Estimated at about 79 bits quantum core-SVP, i.e. BELOW the target: kept only for comparison with the reference.
     */
    public static final PsaParameters KHPRF_2021 = new PsaParameters("khprf-2021", 1, 2096, 128, 85, 78);

    /** The default: n = 3072, q = 2^128, p = 2^85, about 135 bits quantum core-SVP (149 classical). */
    public static final PsaParameters DEFAULT = new PsaParameters("lwr-3072-q128-p85", 2, 3072, 128, 85, 135);

    /**
     * The lattice of {@link #DEFAULT} with the recoverable encoding (scheme v2, scale 2N): a step with missing meters
     * can still be decrypted over the reporting ones (org.psametering.crypto.recovery).
     */
    public static final PsaParameters RECOVERABLE =
            new PsaParameters("lwr-3072-q128-p85-rec", 3, 3072, 128, 85, 135, PsaScheme.V2_RECOVERABLE);

    private static final List<PsaParameters> ALL = List.of(DEFAULT, KHPRF_2021, RECOVERABLE);

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
        Objects.requireNonNull(scheme, "scheme");
    }

    /** A set of scheme v1 (encoding scale N, no recovery). */
    public PsaParameters(String name, int id, int n, int logQ, int logP, int quantumCoreSvpBits) {
        this(name, id, n, logQ, logP, quantumCoreSvpBits, PsaScheme.V1);
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
     * Largest reading x such that the sum of groupSize readings each in [0, x] decrypts exactly, and N * x fits in a
     * long. Scheme v1 scales a reading by N and its aggregate carries a rounding error in [-(N-1), 0], so it needs
     * N * (N * x + 1) &lt; p. Scheme v2 scales by Delta = 2N and a recovered aggregate carries an error in
     * [-(|S|-1), |S|]; decoding adds N - 1, so it needs 2N * (N * x + 1) &lt;= p (README sections 2 and 11). Throws
     * if the group is too large for any reading.
     */
    public long maxReading(int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be positive, got " + groupSize);
        }
        BigInteger bigN = BigInteger.valueOf(groupSize);
        BigInteger p = BigInteger.ONE.shiftLeft(logP);
        BigInteger room = switch (scheme) {
            case V1 -> p.subtract(bigN).subtract(BigInteger.ONE).divide(bigN.multiply(bigN));
            case V2_RECOVERABLE -> {
                BigInteger delta = BigInteger.valueOf(scheme.scale(groupSize));
                yield p.subtract(delta).divide(delta.multiply(bigN));
            }
        };
        if (room.signum() <= 0) {
            throw new IllegalArgumentException("group size " + groupSize + " leaves no plaintext room with p = 2^"
                    + logP + " (parameter set " + name + ")");
        }
        long longCap = Long.MAX_VALUE / groupSize;
        return room.bitLength() < 63 ? Math.min(room.longValueExact(), longCap) : longCap;
    }

    /** The encoding scale Delta of this set's scheme for a group of groupSize meters (N or 2N). */
    public long encodingScale(int groupSize) {
        return scheme.scale(groupSize);
    }

    /** Bytes of one vector in Z_q^n (16 per element). */
    public int vectorBytes() {
        return 16 * n;
    }

    @Override
    public String toString() {
        return name + "(n=" + n + ", q=2^" + logQ + ", p=2^" + logP + ", ~" + quantumCoreSvpBits + " bits quantum"
                + (scheme == PsaScheme.V1 ? "" : ", " + scheme) + ")";
    }
}
