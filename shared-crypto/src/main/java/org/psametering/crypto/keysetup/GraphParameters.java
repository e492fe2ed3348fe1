package org.psametering.crypto.keysetup;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The security condition of the sparse mask graph (README section 13): with N members, a dishonest fraction gamma and
 * a missing fraction delta, the failure bound
 * <pre>
 *   F(N, p) = N (1-p)^(h-1)  +  sum_{k=1..floor(m/2)} C(m, k) (1-p)^(k (m-k))
 *   h = ceil((1-gamma) N)   honest members,   m = ceil((1-gamma-delta) N)   honest reporting members
 * </pre>
 * (first term: some honest meter has no honest neighbour; second: the honest reporting meters' graph is disconnected,
 * union bound over cuts) must be at most 2^-securityBits. Computed in log2 so it never under- or overflows.
 */
public record GraphParameters(double dishonestFraction, double missingFraction, int securityBits) {

    /** Defaults: 10% dishonest (colluding with the head-end), 10% honest but missing, 80-bit bound per graph. */
    public static final GraphParameters DEFAULT = new GraphParameters(0.10, 0.10, 80);

    public GraphParameters {
        if (!(dishonestFraction >= 0 && missingFraction >= 0 && dishonestFraction + missingFraction < 1)) {
            throw new IllegalArgumentException("need 0 <= gamma, delta and gamma + delta < 1");
        }
        if (securityBits < 1 || securityBits > 256) {
            throw new IllegalArgumentException("securityBits out of range: " + securityBits);
        }
    }

    /** log2 of the failure bound F(N, p). */
    public double log2FailureBound(int size, double p) {
        if (p >= 1) {
            return Double.NEGATIVE_INFINITY;
        }
        int honest = (int) Math.ceil((1 - dishonestFraction) * size - 1e-9);
        int reporting = (int) Math.ceil((1 - dishonestFraction - missingFraction) * size - 1e-9);
        double log2q = Math.log1p(-p) / Math.log(2);
        double isolated = log2(size) + (honest - 1) * log2q;
        double cuts = Double.NEGATIVE_INFINITY;
        double log2Binomial = 0;
        for (int k = 1; k <= reporting / 2; k++) {
            log2Binomial += log2(reporting - k + 1) - log2(k);
            double term = log2Binomial + (double) k * (reporting - k) * log2q;
            cuts = log2Sum(cuts, term);
            if (term < cuts - 200) {
                break; // the terms fall geometrically from here on (k (m - k) grows faster than log C(m, k))
            }
        }
        return log2Sum(isolated, cuts);
    }

    /** The smallest edge probability (to 1e-6 relative) meeting the bound for N members; 1 means complete graph. */
    public double requiredProbability(int size) {
        if (log2FailureBound(size, 1 - 1e-12) > -securityBits) {
            return 1;
        }
        double lo = 0;
        double hi = 1;
        while (hi - lo > 1e-6 * hi) {
            double mid = (lo + hi) / 2;
            if (log2FailureBound(size, mid) <= -securityBits) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** The required threshold ceil(p 2^64) as an unsigned long (all ones if the complete graph is needed). */
    public long requiredThreshold(int size) {
        return threshold(requiredProbability(size));
    }

    /** threshold = ceil(p 2^64), saturated at 2^64 - 1. */
    public static long threshold(double p) {
        BigInteger t = new BigDecimal(p).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64)))
                .setScale(0, RoundingMode.CEILING).toBigInteger();
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        return (t.compareTo(max) > 0 ? max : t).longValue();
    }

    /** p = threshold / 2^64 (threshold unsigned). */
    public static double probability(long threshold) {
        return new BigDecimal(new BigInteger(Long.toUnsignedString(threshold)))
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(64))).doubleValue();
    }

    /** Whether a graph with this threshold meets this configuration's bound for N members. */
    public boolean strongEnough(int size, long threshold) {
        return log2FailureBound(size, probability(threshold)) <= -securityBits;
    }

    /**
     * The smallest r with N * P[Bin(ceil(gamma N), p) >= r] <= 2^-securityBits: with at least r reporting neighbours
     * required, a head-end that declares honest neighbours missing cannot leave a meter with only dishonest reporting
     * neighbours, except with that probability (README section 13.5).
     */
    public int requiredReportingNeighbours(int size, double p) {
        int dishonest = (int) Math.ceil(dishonestFraction * size - 1e-9);
        double log2p = log2(p);
        double log2q = Math.log1p(-p) / Math.log(2);
        double tail = Double.NEGATIVE_INFINITY;
        double[] terms = new double[dishonest + 2];
        double log2Binomial = 0;
        for (int k = 0; k <= dishonest; k++) {
            if (k > 0) {
                log2Binomial += log2(dishonest - k + 1) - log2(k);
            }
            terms[k] = log2Binomial + k * log2p + (dishonest - k) * log2q;
        }
        for (int r = dishonest; r >= 0; r--) {
            double next = log2Sum(tail, terms[r]);
            if (log2(size) + next > -securityBits) {
                return r + 1;
            }
            tail = next;
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double log2Sum(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + log2(Math.pow(2, a - max) + Math.pow(2, b - max));
    }
}
