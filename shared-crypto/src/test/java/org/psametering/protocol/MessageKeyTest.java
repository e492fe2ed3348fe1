package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The message tag is HMAC-SHA256 (truncated to 16 bytes) under the HKDF-derived key of docs/protocol.md, whichever
 * implementation computes it: checked against an independent computation with Bouncy Castle's HKDF and HMAC, on a
 * blinded-key-sized message and on offsets, so the switch to the JDK's intrinsic HMAC changed no tag on the wire.
 */
class MessageKeyTest {
    @Test
    void tagsAreTruncatedHmacSha256UnderTheDerivedKey() {
        byte[] secret = new byte[32];
        new Random(7).nextBytes(secret);
        byte[] data = new byte[49_208];
        new Random(8).nextBytes(data);
        MessageKey key = MessageKey.derive(secret, "feeder-1", 3, "meter-0042");

        byte[] macKey = new byte[32];
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, "psa-metering/v1/message-key".getBytes(StandardCharsets.US_ASCII),
                "group=feeder-1\u0000epoch=3\u0000meter=meter-0042".getBytes(StandardCharsets.US_ASCII)));
        hkdf.generateBytes(macKey, 0, 32);
        for (int[] range : new int[][]{{0, data.length}, {5, 1000}, {0, 0}}) {
            HMac reference = new HMac(new SHA256Digest());
            reference.init(new KeyParameter(macKey));
            reference.update(data, range[0], range[1]);
            byte[] full = new byte[32];
            reference.doFinal(full, 0);
            byte[] expected = Arrays.copyOf(full, MessageKey.TAG_BYTES);
            assertArrayEquals(expected, key.tag(data, range[0], range[1]));
            assertTrue(key.verify(data, range[0], range[1], expected));
            expected[0] ^= 1;
            assertFalse(key.verify(data, range[0], range[1], expected));
        }
    }
}
