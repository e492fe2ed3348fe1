package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decoder's long division against BigInteger, up to the largest scale 2N = 2^32 - 2 of scheme v2. */
class ScaledDecodingTest {

    @Test
    void quotientMatchesBigIntegerForEveryDivisorSize() {
        SplittableRandom random = new SplittableRandom(85);
        long[] divisors = {1, 2, 3, 1000, 20_000, (1L << 31) - 1, 1L << 31, (1L << 32) - 2, (1L << 32) - 1};
        for (long d : divisors) {
            for (int i = 0; i < 2000; i++) {
                long high = random.nextLong(1L << 21); // values below p = 2^85
                long low = random.nextLong();
                BigInteger value = BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
                BigInteger q = value.divide(BigInteger.valueOf(d));
                long expected = q.bitLength() < 64 ? q.longValue() : -1;
                assertEquals(expected, ScaledDecoding.quotient(high, low, d), "d=" + d + " value=" + value);
            }
        }
    }

    @Test
    void quotientsAboveTheLongRangeAreFlagged() {
        assertEquals(Long.MAX_VALUE, ScaledDecoding.quotient(0, Long.MAX_VALUE, 1));
        assertEquals(-1, ScaledDecoding.quotient(0, Long.MIN_VALUE, 1));
        assertEquals(-1, ScaledDecoding.quotient(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ScaledDecoding.quotient(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ScaledDecoding.quotient(0, 0, 1L << 32));
    }
}
