package org.psametering.crypto.internal;

/**
 * Arithmetic shared by the aggregators on values in Z_p, p = 2^logP with 64 &lt; logP &lt; 128, held as a 128-bit
 * number high * 2^64 + low (low read unsigned).
 *
 * <p>Not API.
 */
public final class ScaledDecoding {

    private static final long LOW32 = 0xFFFF_FFFFL;

    private ScaledDecoding() {
    }

    /**
     * floor((high * 2^64 + low) / divisor) for 1 &lt;= divisor &lt; 2^32 and high &gt;= 0, by three 32-bit long-division
     * steps with unsigned 64-bit divisions (each partial remainder is below 2^32, so shifting it left by 32 stays below
     * 2^64). Returns -1 when the quotient does not fit in a non-negative long.
     */
    public static long quotient(long high, long low, long divisor) {
        if (divisor < 1 || divisor > LOW32 || high < 0) {
            throw new IllegalArgumentException("divisor " + divisor + " outside [1, 2^32), or negative high word");
        }
        long q1 = high / divisor;
        long r = high % divisor;
        long x = (r << 32) | (low >>> 32);
        long q2 = Long.divideUnsigned(x, divisor);
        long y = (Long.remainderUnsigned(x, divisor) << 32) | (low & LOW32);
        long q3 = Long.divideUnsigned(y, divisor);
        if (q1 != 0 || Long.compareUnsigned(q2, Long.MAX_VALUE >>> 32) > 0) {
            return -1;
        }
        return (q2 << 32) + q3;
    }
}
