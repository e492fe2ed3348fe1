package org.psametering.crypto.keysetup;

/**
 * The security condition of the sparse mask graph (shared-crypto README section 13), under an assumed fraction of
 * dishonest meters (colluding with the head-end) and of missing meters. Used by the head-end to choose the threshold
 * and by the meter to refuse a graph that is too weak for its own assumptions.
 *
 * @param dishonest     gamma, the assumed fraction of members colluding with the head-end
 * @param missing       delta, the assumed fraction of members missing in a step
 * @param securityBits  kappa: every failure bound below is at most 2^-kappa
 */
public record GraphParameters(double dishonest, double missing, int securityBits) {

    /** gamma = delta = 10 %, 2^-80 per graph. */
    public static final GraphParameters DEFAULT = new GraphParameters(0.10, 0.10, 80);

    /** Up to this group size the complete graph stays the default (N - 1 agreements per meter are cheap enough). */
    public static final int COMPLETE_GRAPH_DEFAULT_UP_TO = 1000;

    public GraphParameters {
        if (!(dishonest >= 0 && missing >= 0 && dishonest + missing < 1)) {
            throw new IllegalArgumentException("need 0 <= dishonest, missing and dishonest + missing < 1, got "
                    + dishonest + ", " + missing);
        }
        if (securityBits < 1 || securityBits > 256) {
            throw new IllegalArgumentException("security bits must be in 1..256, got " + securityBits);
        }
    }

    /** m = floor((1 - gamma - delta) N): the honest reporting members in the worst case the assumption allows. */
    public int honestReporting(int size) {
        return (int) Math.floor((1 - dishonest - missing) * size);
    }

    /**
     * ln of the failure bound for edge probability p: (1-gamma) N (1-p)^(m-1) (some honest member has no honest
     * reporting neighbour) + sum over k = 2..floor(m/2) of C(m,k) (1-p)^(k(m-k)) (a cut of the honest reporting
     * members' graph with k on the small side has no edge).
     */
    public double lnFailureBound(int size, double p) {
        int m = honestReporting(size);
        if (m < 2) {
            return 0; // the bound is useless (>= 1): no graph can be secure under this assumption
        }
        double ln1p = Math.log1p(-p);
        double total = Math.log((1 - dishonest) * size) + (m - 1) * ln1p;
        double lnBinomial = Math.log(m); // ln C(m, 1)
        for (int k = 2; k <= m / 2; k++) {
            lnBinomial += Math.log(m - k + 1) - Math.log(k);
            double term = lnBinomial + (double) k * (m - k) * ln1p;
            total = Math.max(total, term) + Math.log1p(Math.exp(-Math.abs(total - term)));
            // for p > 2/m the terms decrease in k (d/dk = ln((m-k)/k) + (m-2k) ln(1-p) < 0 up to m/2), so once one
            // is e^-60 below the total the rest cannot change the bound's first 20 digits: stop (keeps this cheap
            // enough for a meter to run on every announcement)
            if (p * m > 4 && term < total - 60) {
                break;
            }
        }
        return total;
    }

    /**
     * The smallest threshold (unsigned 64-bit) whose edge probability p = threshold / 2^64 meets the bound for N
     * members, or 2^64 - 1 (the graph is complete except with probability 2^-64 per pair) if none does.
     */
    public long requiredThreshold(int size) {
        double target = -securityBits * Math.log(2);
        if (lnFailureBound(size, 1 - 0x1p-52) > target) {
            return -1L;
        }
        double low = 0;
        double high = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (low + high) / 2;
            if (lnFailureBound(size, mid) <= target) {
                high = mid;
            } else {
                low = mid;
            }
        }
        // round up to a whole unsigned 64-bit threshold, never below the bound
        double scaled = Math.ceil(high * 0x1p64);
        return scaled >= 0x1p64 ? -1L : toUnsignedLong(scaled);
    }

    /** The expected number of neighbours p (N - 1) for the required threshold. */
    public double expectedDegree(int size) {
        return GraphSpec.unsignedToDouble(requiredThreshold(size)) / 0x1p64 * (size - 1);
    }

    /**
     * The smallest row a meter accepts: with fewer than ceil(kappa / log2(1 / (gamma + delta))) neighbours, the
     * chance that all of them are dishonest or missing exceeds 2^-kappa (neighbours are random members).
     */
    public int minimumRowSize() {
        double bad = dishonest + missing;
        if (bad == 0) {
            return 1;
        }
        return (int) Math.ceil(securityBits / (Math.log(1 / bad) / Math.log(2)));
    }

    /**
     * The fewest reporting neighbours a meter with rowSize neighbours requires before it answers a recovery request:
     * the smallest r with P(Binomial(rowSize, gamma) >= r) <= 2^-kappa, so that at least one of r reporting
     * neighbours is honest except with probability 2^-kappa, even when the head-end chooses which are "missing".
     * Returns rowSize + 1 (never answer) if no r works.
     */
    public int minimumReportingNeighbours(int rowSize) {
        double target = -securityBits * Math.log(2);
        if (dishonest == 0) {
            return 1;
        }
        // ln P(X = j) for X ~ Binomial(rowSize, gamma), tail summed from the top down
        double[] ln = new double[rowSize + 1];
        double lnBinomial = 0;
        for (int j = 0; j <= rowSize; j++) {
            if (j > 0) {
                lnBinomial += Math.log(rowSize - j + 1) - Math.log(j);
            }
            ln[j] = lnBinomial + j * Math.log(dishonest) + (rowSize - j) * Math.log1p(-dishonest);
        }
        double tail = Double.NEGATIVE_INFINITY;
        int r = rowSize + 1;
        for (int j = rowSize; j >= 1; j--) {
            tail = tail == Double.NEGATIVE_INFINITY ? ln[j]
                    : Math.max(tail, ln[j]) + Math.log1p(Math.exp(-Math.abs(tail - ln[j])));
            if (tail > target) {
                break;
            }
            r = j;
        }
        return r;
    }

    private static long toUnsignedLong(double v) {
        if (v < 0x1p63) {
            return (long) v;
        }
        return (long) (v - 0x1p63) ^ Long.MIN_VALUE;
    }
}
