package org.psametering.crypto.internal;

/**
 * The PRF kernel: the inner product of an expanded oracle output with a key, mod 2^128, in 64-bit words.
 *
 * <p>Per element, a*k mod 2^128 = lo(a_lo*k_lo) + 2^64 * (hi(a_lo*k_lo) + a_hi*k_lo + a_lo*k_hi). Carries out of the
 * low words are not tracked per element: the low words are summed as two 32-bit halves in separate accumulators
 * (no overflow below 2^31 elements) and folded once at the end, which keeps the loop branch-free.
 */
public final class InnerProduct {

    private static final long LOW32 = 0xFFFF_FFFFL;

    private InnerProduct() {
    }

    /**
     * Computes floor(<a, k> / 2^(128 - logP)) where a is read from expanded[0, 16n) (big-endian elements) and writes
     * the result, an element of Z_p with p = 2^logP and 64 < logP < 128, to out[0] (high word) and out[1] (low word).
     */
    public static void roundedInnerProduct(byte[] expanded, ZqVector key, int logP, long[] out) {
        long[] w = key.words();
        if (expanded.length < w.length * 8) {
            throw new IllegalArgumentException("expanded oracle output shorter than the key");
        }
        long hiSum = 0;
        long loLowHalves = 0;
        long loHighHalves = 0;
        for (int i = 0, p = 0; i < w.length; i += 2, p += 16) {
            long ah = (long) ZqVector.BE_LONG.get(expanded, p);
            long al = (long) ZqVector.BE_LONG.get(expanded, p + 8);
            long kh = w[i];
            long kl = w[i + 1];
            long lo = al * kl;
            hiSum += Math.unsignedMultiplyHigh(al, kl) + ah * kl + al * kh;
            loLowHalves += lo & LOW32;
            loHighHalves += lo >>> 32;
        }
        long mid = (loHighHalves & LOW32) + (loLowHalves >>> 32);
        long low = (mid << 32) | (loLowHalves & LOW32);
        long high = hiSum + (loHighHalves >>> 32) + (mid >>> 32);
        roundDown(high, low, logP, out);
    }

    /** floor((high, low) / 2^(128 - logP)) for 64 < logP < 128. */
    static void roundDown(long high, long low, int logP, long[] out) {
        int shift = 128 - logP;
        out[0] = high >>> shift;
        out[1] = (high << (64 - shift)) | (low >>> shift);
    }
}
