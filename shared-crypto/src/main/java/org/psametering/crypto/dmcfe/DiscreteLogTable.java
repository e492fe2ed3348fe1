package org.psametering.crypto.dmcfe;

import java.util.Objects;
import java.util.function.ToLongFunction;
import org.psametering.crypto.dmcfe.internal.FingerprintTable;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * Baby-step giant-step discrete logarithms in GT base e(g1, g2) for exponents in [0, bound], with the baby
 * steps precomputed once and reused for every decryption.
 *
 * <p>With m baby steps (m = ceil(sqrt(bound + 1)) unless capped by {@code maxBabySteps}), building costs m GT
 * multiplications and 24..48 bytes per entry; solving costs up to floor(bound / m) + 1
 * giant steps. So decryption time grows with the square root of the bound. Baby steps are keyed by a 64-bit
 * fingerprint of the element; a fingerprint match is confirmed against the real element, so a collision costs
 * time, never a wrong answer.
 */
public final class DiscreteLogTable {

    /** Default cap on baby steps: 2^22 entries are 96 MiB of table; larger bounds take more giant steps instead. */
    public static final int DEFAULT_MAX_BABY_STEPS = 1 << 22;

    private final PairingGroup curve;
    private final long bound;
    private final int babySteps;
    private final long giantSteps;
    private final FingerprintTable table;
    private final GtElement giantStride; // g^-m
    private final ToLongFunction<GtElement> fingerprint;

    private DiscreteLogTable(PairingGroup curve, long bound, int babySteps, FingerprintTable table,
                             ToLongFunction<GtElement> fingerprint) {
        this.curve = curve;
        this.bound = bound;
        this.babySteps = babySteps;
        this.giantSteps = bound / babySteps + 1;
        this.table = table;
        this.giantStride = curve.gtGenerator().pow(babySteps).inverse();
        this.fingerprint = fingerprint;
    }

    /** Builds the table for exponents 0..bound with the default memory cap. */
    public static DiscreteLogTable build(PairingGroup curve, long bound, Progress progress) {
        return build(curve, bound, DEFAULT_MAX_BABY_STEPS, progress);
    }

    public static DiscreteLogTable build(PairingGroup curve, long bound, int maxBabySteps, Progress progress) {
        return build(curve, bound, maxBabySteps, progress, GtElement::fingerprint);
    }

    /** With an injectable fingerprint so tests can force collisions. */
    static DiscreteLogTable build(PairingGroup curve, long bound, int maxBabySteps, Progress progress,
                                  ToLongFunction<GtElement> fingerprint) {
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(progress, "progress");
        if (bound < 0 || bound > (1L << 62)) {
            throw new IllegalArgumentException("discrete-log bound must be in [0, 2^62], got " + bound);
        }
        if (maxBabySteps < 1 || maxBabySteps > (1 << 27)) {
            throw new IllegalArgumentException("maxBabySteps must be in [1, 2^27], got " + maxBabySteps);
        }
        long sqrt = ceilSqrt(bound + 1);
        int m = (int) Math.min(sqrt, maxBabySteps);
        FingerprintTable table = new FingerprintTable(m);
        GtElement g = curve.gtGenerator();
        GtElement current = curve.gtIdentity();
        long reportEvery = Math.max(1, m / 100);
        for (int j = 0; j < m; j++) {
            table.put(fingerprint.applyAsLong(current), j);
            current = current.multiply(g);
            if ((j + 1) % reportEvery == 0) {
                progress.update(j + 1, m);
            }
        }
        return new DiscreteLogTable(curve, bound, m, table, fingerprint);
    }

    /**
     * The x in [0, bound] with g^x = target.
     *
     * @throws DiscreteLogOutOfRangeException when there is none: the exponent is beyond the bound (or the
     *     element is not an encrypted sum at all, e.g. after decrypting with a wrong key or label)
     */
    public long log(GtElement target, Progress progress) {
        Objects.requireNonNull(target, "target");
        GtElement gamma = target;
        long reportEvery = Math.max(1, giantSteps / 100);
        for (long k = 0; k < giantSteps; k++) {
            final long base = k * babySteps;
            final GtElement candidateTarget = gamma;
            int j = table.find(fingerprint.applyAsLong(gamma), value -> base + value <= bound
                    && curve.gtGenerator().pow(value).equals(candidateTarget));
            if (j >= 0) {
                return base + j;
            }
            gamma = gamma.multiply(giantStride);
            if ((k + 1) % reportEvery == 0) {
                progress.update(k + 1, giantSteps);
            }
        }
        throw new DiscreteLogOutOfRangeException(bound);
    }

    public long log(GtElement target) {
        return log(target, Progress.NONE);
    }

    public PairingGroup curve() {
        return curve;
    }

    /** Largest exponent this table can find. */
    public long bound() {
        return bound;
    }

    public int babySteps() {
        return babySteps;
    }

    /** Giant steps a worst-case (largest) exponent needs. */
    public long maxGiantSteps() {
        return giantSteps;
    }

    public long memoryBytes() {
        return table.memoryBytes();
    }

    @Override
    public String toString() {
        return "DiscreteLogTable[" + curve.name() + ", bound=" + bound + ", babySteps=" + babySteps
                + ", giantSteps<=" + giantSteps + "]";
    }

    static long ceilSqrt(long n) {
        long r = (long) Math.sqrt((double) n);
        while (r * r > n) {
            r--;
        }
        while (r * r < n) {
            r++;
        }
        return r;
    }

    /** Progress of a long loop: {@code done} of {@code total} steps. Must be cheap; called about 100 times. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(long done, long total);
    }
}
