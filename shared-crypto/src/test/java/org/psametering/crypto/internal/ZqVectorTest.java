package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;

class ZqVectorTest {

    private static final BigInteger Q = BigInteger.ONE.shiftLeft(128);

    @Test
    void addAndSubtractBytesAreMod2To128() {
        int n = 50;
        DeterministicRandom random = new DeterministicRandom("zq-vector");
        byte[] x = new byte[16 * n];
        byte[] y = new byte[16 * n];
        random.nextBytes(x);
        random.nextBytes(y);
        Arrays.fill(y, 0, 16, (byte) 0xFF); // force a carry through both words

        ZqVector sum = ZqVector.fromBytes(x, 0, n);
        sum.addBytes(y, 0, +1);
        ZqVector diff = ZqVector.fromBytes(x, 0, n);
        diff.addBytes(y, 0, -1);
        for (int i = 0; i < n; i++) {
            BigInteger xi = element(x, i);
            BigInteger yi = element(y, i);
            assertEquals(xi.add(yi).mod(Q), value(sum, i));
            assertEquals(xi.subtract(yi).mod(Q), value(diff, i));
        }
        sum.addBytes(y, 0, -1);
        byte[] back = new byte[16 * n];
        sum.writeBytes(back, 0);
        assertArrayEquals(x, back);
    }

    @Test
    void addingANegationGivesZero() {
        int n = 10;
        byte[] x = new byte[16 * n];
        new DeterministicRandom("neg").nextBytes(x);
        ZqVector a = ZqVector.zero(n);
        a.addBytes(x, 0, -1);
        a.add(ZqVector.fromBytes(x, 0, n));
        assertTrue(a.isZero());
    }

    private static BigInteger element(byte[] b, int i) {
        return new BigInteger(1, Arrays.copyOfRange(b, 16 * i, 16 * i + 16));
    }

    private static BigInteger value(ZqVector v, int i) {
        return BigInteger.valueOf(v.high(i)).mod(BigInteger.ONE.shiftLeft(64)).shiftLeft(64)
                .add(new BigInteger(Long.toUnsignedString(v.low(i))));
    }
}
