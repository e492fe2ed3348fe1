package org.psametering.crypto.psa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;

class PsaEncryptorTest {

    private final GroupContext group = new GroupContext("g1", 0, 5, PsaParameters.KHPRF_2021);
    private final PsaKey key = PsaKey.generate(group.params(), new DeterministicRandom("encryptor"));

    @Test
    void refusesALabelNotNewerThanTheLastUsed() {
        PsaEncryptor enc = new PsaEncryptor(key, group, Long.MIN_VALUE);
        enc.encrypt(10, 1);
        assertEquals(10, enc.lastUsedLabel());
        LabelReuseException same = assertThrows(LabelReuseException.class, () -> enc.encrypt(10, 1));
        assertEquals(10, same.lastUsedLabel());
        assertThrows(LabelReuseException.class, () -> enc.encrypt(9, 1));
        enc.encrypt(11, 1);
        assertEquals(11, enc.lastUsedLabel());
    }

    @Test
    void persistedLastUsedLabelSurvivesARestart() {
        PsaEncryptor restarted = new PsaEncryptor(key, group, 42);
        assertThrows(LabelReuseException.class, () -> restarted.encrypt(42, 0));
        assertEquals(42, restarted.lastUsedLabel());
        restarted.encrypt(43, 0);
    }

    @Test
    void refusesReadingsOutsideTheRoomWithoutBurningTheLabel() {
        PsaEncryptor enc = new PsaEncryptor(key, group, Long.MIN_VALUE);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> enc.encrypt(1, group.maxReading() + 1));
        assertTrue(tooBig.getMessage().contains("outside [0, " + group.maxReading() + "]"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> enc.encrypt(1, -1));
        assertEquals(Long.MIN_VALUE, enc.lastUsedLabel());
        enc.encrypt(1, group.maxReading());
    }

    @Test
    void ciphertextsAreBelowPAndDependOnLabelAndKey() {
        PsaEncryptor a = new PsaEncryptor(key, group, Long.MIN_VALUE);
        PsaEncryptor b = new PsaEncryptor(PsaKey.generate(group.params(), new DeterministicRandom("other")), group,
                Long.MIN_VALUE);
        Ciphertext c1 = a.encrypt(1, 0);
        Ciphertext c2 = a.encrypt(2, 0);
        assertTrue(c1.fitsIn(group.params()) && c2.fitsIn(group.params()));
        assertNotEquals(c1.low(), c2.low());
        assertNotEquals(c1.low(), b.encrypt(1, 0).low());
    }

    @Test
    void keyAndGroupMustUseTheSameParameterSet() {
        GroupContext other = new GroupContext("g1", 0, 5, PsaParameters.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> new PsaEncryptor(key, other, Long.MIN_VALUE));
    }

    @Test
    void noSecretInToString() {
        String text = key.toString() + new PsaEncryptor(key, group, 0);
        assertTrue(text.contains("secret"));
        assertFalse(text.matches(".*\\d{6,}.*"), text);
    }
}
