package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SealedMessagesTest {
    private static final byte[] SECRET = new byte[32];
    private static final byte[] BODY = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    static {
        Arrays.fill(SECRET, (byte) 7);
    }

    private final MessageKey key = MessageKey.derive(SECRET, "g", 2, "m1");

    @Test
    void sealedCiphertextVerifiesAndYieldsItsBody() {
        byte[] payload = CiphertextMessage.seal(BODY, key);
        assertEquals(6 + BODY.length + 16, payload.length);
        assertArrayEquals(BODY, CiphertextMessage.parse(payload).verify(key).ciphertextEncoding());
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] payload = CiphertextMessage.seal(BODY, key);
        for (int i = 0; i < payload.length; i++) {
            byte[] altered = payload.clone();
            altered[i] ^= 1;
            // header bits give MalformedMessage, body and tag bits give ForgedMessage: either way it is refused
            assertThrows(RuntimeException.class, () -> CiphertextMessage.parse(altered).verify(key));
        }
        byte[] bodyFlip = payload.clone();
        bodyFlip[7] ^= 1;
        assertThrows(ForgedMessageException.class, () -> CiphertextMessage.parse(bodyFlip).verify(key));
    }

    @Test
    void keysAreBoundToGroupEpochAndMeter() {
        byte[] payload = CiphertextMessage.seal(BODY, key);
        for (MessageKey other : new MessageKey[]{MessageKey.derive(SECRET, "g", 3, "m1"), MessageKey.derive(SECRET, "h", 2, "m1"),
                MessageKey.derive(SECRET, "g", 2, "m2")}) {
            assertThrows(ForgedMessageException.class, () -> CiphertextMessage.parse(payload).verify(other));
        }
    }

    @Test
    void blindedKeyCannotPassAsCiphertext() {
        byte[] blinded = BlindedKeyMessage.seal(BODY, key);
        assertArrayEquals(BODY, BlindedKeyMessage.parse(blinded).verify(key).blindedKeyEncoding());
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> CiphertextMessage.parse(blinded));
        assertEquals("ciphertext message has type 2 (expected 1)", e.getMessage());
    }

    @Test
    void truncatedOrPaddedFramesAreMalformed() {
        byte[] payload = CiphertextMessage.seal(BODY, key);
        assertThrows(MalformedMessageException.class, () -> CiphertextMessage.parse(Arrays.copyOf(payload, payload.length - 1)));
        assertThrows(MalformedMessageException.class, () -> CiphertextMessage.parse(Arrays.copyOf(payload, payload.length + 1)));
        assertThrows(MalformedMessageException.class, () -> CiphertextMessage.parse(new byte[3]));
        assertThrows(MalformedMessageException.class, () -> CiphertextMessage.parse(null));
    }

    @Test
    void keyNeverPrintsItsSecret() {
        assertEquals("MessageKey[secret]", key.toString());
    }
}
