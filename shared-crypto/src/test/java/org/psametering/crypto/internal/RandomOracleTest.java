package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;

class RandomOracleTest {

    @Test
    void chunkedPrfEqualsFullExpansionThenInnerProduct() {
        // n = 700 is not a multiple of the chunk size, so the last chunk is partial
        int n = 700;
        byte[] k = new byte[16 * n];
        new DeterministicRandom("oracle").nextBytes(k);
        ZqVector key = ZqVector.fromBytes(k, 0, n);
        for (VectorExpander expander : new VectorExpander[] {VectorExpander.aesCtr(), VectorExpander.shake128()}) {
            RandomOracle oracle = new RandomOracle(expander, n);
            long[] fused = new long[2];
            long[] reference = new long[2];
            oracle.prf(1, "set", "group", 3, 99, key, 85, fused);
            InnerProduct.roundedInnerProduct(oracle.expand(1, "set", "group", 3, 99), key, 85, reference);
            assertArrayEquals(reference, fused, expander.name());
        }
    }

    @Test
    void everyFieldOfTheDomainInputChangesTheSeed() {
        RandomOracle oracle = new RandomOracle(VectorExpander.aesCtr(), 1);
        byte[] base = oracle.seed(1, "set", "group", 3, 99);
        byte[][] variants = {
            oracle.seed(2, "set", "group", 3, 99),
            oracle.seed(1, "sex", "group", 3, 99),
            oracle.seed(1, "set", "groups", 3, 99),
            oracle.seed(1, "set", "group", 4, 99),
            oracle.seed(1, "set", "group", 3, 100),
            // length prefixes keep ("se", "tgroup") apart from ("set", "group")
            oracle.seed(1, "se", "tgroup", 3, 99),
        };
        for (byte[] v : variants) {
            assertFalse(Arrays.equals(base, v));
        }
    }
}
