package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;

/** The word-level kernel against a straightforward BigInteger evaluation of floor(<a, k> * p / q) mod p. */
class InnerProductTest {

    private static final BigInteger Q = BigInteger.ONE.shiftLeft(128);

    @Test
    void matchesBigIntegerReferenceOnRandomVectors() {
        DeterministicRandom random = new DeterministicRandom("inner-product");
        for (int n : new int[] {1, 2, 7, 64, 300}) {
            for (int logP : new int[] {65, 85, 127}) {
                byte[] a = new byte[16 * n];
                byte[] k = new byte[16 * n];
                random.nextBytes(a);
                random.nextBytes(k);
                assertKernelMatchesReference(a, k, n, logP);
            }
        }
    }

    @Test
    void matchesReferenceWhenEveryWordIsAllOnes() {
        // maximal carries in every partial product and accumulator
        int n = 1000;
        byte[] a = new byte[16 * n];
        byte[] k = new byte[16 * n];
        Arrays.fill(a, (byte) 0xFF);
        Arrays.fill(k, (byte) 0xFF);
        assertKernelMatchesReference(a, k, n, 85);
        Arrays.fill(k, 16, 16 * n, (byte) 0x80);
        assertKernelMatchesReference(a, k, n, 85);
    }

    private static void assertKernelMatchesReference(byte[] a, byte[] k, int n, int logP) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            BigInteger ai = new BigInteger(1, Arrays.copyOfRange(a, 16 * i, 16 * i + 16));
            BigInteger ki = new BigInteger(1, Arrays.copyOfRange(k, 16 * i, 16 * i + 16));
            sum = sum.add(ai.multiply(ki));
        }
        BigInteger p = BigInteger.ONE.shiftLeft(logP);
        BigInteger expected = sum.mod(Q).multiply(p).divide(Q).mod(p);

        long[] out = new long[2];
        InnerProduct.roundedInnerProduct(a, ZqVector.fromBytes(k, 0, n), logP, out);
        BigInteger actual = BigInteger.valueOf(out[0]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(out[1])));
        assertEquals(expected, actual, "n=" + n + " logP=" + logP);
    }
}
