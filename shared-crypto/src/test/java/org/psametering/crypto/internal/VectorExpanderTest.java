package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The expanders' constructions, checked against the JDK's AES block function (not against themselves). */
class VectorExpanderTest {

    @Test
    void aesCtrIsAes256OfTheCounterBlocks() throws Exception {
        byte[] seed = new byte[32];
        byte[] out = new byte[48];
        VectorExpander.aesCtr().expand(seed, out, out.length);
        // AES-256 with the all-zero key on the zero block: the first keystream block must equal it
        javax.crypto.Cipher ecb = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(seed, "AES"));
        byte[] block0 = ecb.doFinal(new byte[16]);
        assertArrayEquals(HexFormat.of().parseHex("dc95c078a2408989ad48a21492842087"), block0);
        assertArrayEquals(block0, Arrays.copyOfRange(out, 0, 16));
        byte[] counter1 = new byte[16];
        counter1[15] = 1;
        assertArrayEquals(ecb.doFinal(counter1), Arrays.copyOfRange(out, 16, 32));
    }

    @Test
    void shake128IsAnExtendableOutputOfTheSeed() {
        // the byte values themselves are pinned by the known-answer files; here: prefix property and seed dependence
        byte[] seed = new byte[32];
        byte[] shortOut = new byte[32];
        byte[] longOut = new byte[100];
        VectorExpander.shake128().expand(seed, shortOut, shortOut.length);
        VectorExpander.shake128().expand(seed, longOut, longOut.length);
        assertArrayEquals(shortOut, Arrays.copyOf(longOut, 32));
        seed[0] = 1;
        byte[] other = new byte[32];
        VectorExpander.shake128().expand(seed, other, other.length);
        assertFalse(Arrays.equals(shortOut, other));
    }

    @Test
    void rejectsSeedOfWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> VectorExpander.aesCtr().expand(new byte[16], new byte[16], 16));
        assertThrows(IllegalArgumentException.class, () -> VectorExpander.shake128().expand(new byte[33], new byte[16], 16));
    }
}
