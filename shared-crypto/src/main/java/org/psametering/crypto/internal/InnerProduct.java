package org.psametering.crypto.internal;

/**
 * The PRF kernel: the inner product of an expanded oracle output with a key, mod 2^128, in 64-bit words, fed chunk
 * by chunk.
 *
 * <p>Per element, a*k mod 2^128 = lo(a_lo*k_lo) + 2^64 * (hi(a_lo*k_lo) + a_hi*k_lo + a_lo*k_hi). Carries out of the
 * low words are not tracked per element: the low words are summed as two 32-bit halves in separate accumulators
 * (no overflow below 2^31 elements) and folded once at the end, which keeps the loop branch-free.
 */
public final class InnerProduct {

    private static final long LOW32 = 0xFFFF_FFFFL;

    private long highSum;
    private long lowLowHalves;
    private long lowHighHalves;

    public void reset() {
        highSum = 0;
        lowLowHalves = 0;
        lowHighHalves = 0;
    }

    /** Adds sum over j in [0, count) of a_j * key[first + j], a_j read from bytes[offset + 16j ..] big-endian. */
    public void accumulate(byte[] bytes, int offset, int count, ZqVector key, int first) {
        long[] w = key.words();
        if (first < 0 || count < 0 || (first + count) * 2L > w.length || bytes.length - offset < count * 16L) {
            throw new IllegalArgumentException("chunk out of range");
        }
        long hi = highSum;
        long lowLow = lowLowHalves;
        long lowHigh = lowHighHalves;
        for (int j = 0, i = 2 * first, p = offset; j < count; j++, i += 2, p += 16) {
            long ah = (long) ZqVector.BE_LONG.get(bytes, p);
            long al = (long) ZqVector.BE_LONG.get(bytes, p + 8);
            long kh = w[i];
            long kl = w[i + 1];
            long lo = al * kl;
            hi += Math.unsignedMultiplyHigh(al, kl) + ah * kl + al * kh;
            lowLow += lo & LOW32;
            lowHigh += lo >>> 32;
        }
        highSum = hi;
        lowLowHalves = lowLow;
        lowHighHalves = lowHigh;
    }

    /** floor(sum / 2^(128 - logP)) into out[0] (high word), out[1] (low word); 64 &lt; logP &lt; 128. */
    public void finish(int logP, long[] out) {
        long mid = (lowHighHalves & LOW32) + (lowLowHalves >>> 32);
        long low = (mid << 32) | (lowLowHalves & LOW32);
        long high = highSum + (lowHighHalves >>> 32) + (mid >>> 32);
        int shift = 128 - logP;
        out[0] = high >>> shift;
        out[1] = (high << (64 - shift)) | (low >>> shift);
    }

    /**
     * One-shot form: floor(<a, k> / 2^(128 - logP)) with a read from expanded[0, 16n), written to out[0] (high word)
     * and out[1] (low word).
     */
    public static void roundedInnerProduct(byte[] expanded, ZqVector key, int logP, long[] out) {
        InnerProduct ip = new InnerProduct();
        ip.accumulate(expanded, 0, key.dimension(), key, 0);
        ip.finish(logP, out);
    }
}
