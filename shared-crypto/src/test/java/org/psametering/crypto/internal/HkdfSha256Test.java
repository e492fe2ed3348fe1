package org.psametering.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

/** {@link HkdfSha256} (JDK HmacSHA256) gives Bouncy Castle's HKDF bytes, which the key setup used before. */
class HkdfSha256Test {

    @Test
    void matchesBouncyCastleOnRandomInputs() {
        Random random = new Random(5);
        for (int n = 0; n < 2_000; n++) {
            byte[] ikm = bytes(random, random.nextInt(80));
            byte[] salt = random.nextInt(3) == 0 ? null : bytes(random, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(100));
            byte[] info = bytes(random, random.nextInt(200));
            int length = n % 10 == 0 ? random.nextInt(300) : 32;
            assertArrayEquals(bouncyCastle(ikm, salt, info, length), HkdfSha256.derive(ikm, salt, info, length),
                    "input " + n);
        }
    }

    @Test
    void rfc5869TestCases1And3() {
        HexFormat hex = HexFormat.of();
        byte[] ikm = hex.parseHex("0b".repeat(22));
        assertArrayEquals(hex.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                HkdfSha256.derive(ikm, hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42));
        assertArrayEquals(hex.parseHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
                HkdfSha256.derive(ikm, new byte[0], new byte[0], 42));
    }

    private static byte[] bouncyCastle(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
