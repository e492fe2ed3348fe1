package org.psametering.crypto.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAnswer;

/** The recovery answer's encoding (type 0x04): round trip and every way it can be malformed. */
class RecoveryAnswerEncodingTest {

    private static final PsaParameters PARAMS = PsaParameters.RECOVERABLE;
    private static final byte[] DIGEST = new byte[32];

    static {
        for (int i = 0; i < DIGEST.length; i++) {
            DIGEST[i] = (byte) (i * 7 + 1);
        }
    }

    private final RecoveryAnswer answer = new RecoveryAnswer(-5, DIGEST, (1L << 21) - 1, -1L);

    @Test
    void roundTripsAtTheLargestValueAndANegativeLabel() {
        byte[] enc = Encodings.encode(answer, PARAMS);
        assertEquals(Encodings.RECOVERY_ANSWER_LENGTH, enc.length);
        assertEquals(60, enc.length);
        assertEquals(0x04, enc[0]);
        assertEquals(0x01, enc[1]);
        assertEquals(answer, Encodings.decodeRecoveryAnswer(enc, PARAMS));
    }

    @Test
    void decodingIsStrict() {
        byte[] enc = Encodings.encode(answer, PARAMS);
        assertMalformed(Arrays.copyOf(enc, enc.length - 1), "truncated");
        assertMalformed(Arrays.copyOf(enc, enc.length + 1), "trailing");
        byte[] type = enc.clone();
        type[0] = 0x01;
        assertMalformed(type, "type byte");
        byte[] version = enc.clone();
        version[1] = 2;
        assertMalformed(version, "version");
        byte[] tooLarge = enc.clone();
        int high = 2 + 2 + 8 + 32; // high word := 2^21, i.e. value = p
        Arrays.fill(tooLarge, high, high + 8, (byte) 0);
        tooLarge[high + 5] = 0x20;
        assertMalformed(tooLarge, "not below p");
        assertMalformed(null, "null");
        MalformedEncodingException other = assertThrows(MalformedEncodingException.class,
                () -> Encodings.decodeRecoveryAnswer(enc, PsaParameters.DEFAULT));
        assertTrue(other.getMessage().contains("expected " + PsaParameters.DEFAULT.name()), other.getMessage());
    }

    @Test
    void aSchemeV1SetHasNoRecoveryAnswer() {
        assertThrows(IllegalArgumentException.class, () -> Encodings.encode(answer, PsaParameters.DEFAULT));
        byte[] enc = Encodings.encode(answer, PARAMS);
        enc[3] = (byte) PsaParameters.DEFAULT.id();
        MalformedEncodingException e = assertThrows(MalformedEncodingException.class,
                () -> Encodings.decodeRecoveryAnswer(enc, PsaParameters.DEFAULT));
        assertTrue(e.getMessage().contains("does not support recovery"), e.getMessage());
    }

    @Test
    void aValueOutsideZpIsNotEncoded() {
        RecoveryAnswer big = new RecoveryAnswer(1, DIGEST, 1L << 21, 0);
        assertThrows(IllegalArgumentException.class, () -> Encodings.encode(big, PARAMS));
    }

    private static void assertMalformed(byte[] bytes, String fragment) {
        MalformedEncodingException e = assertThrows(MalformedEncodingException.class,
                () -> Encodings.decodeRecoveryAnswer(bytes, PARAMS));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
