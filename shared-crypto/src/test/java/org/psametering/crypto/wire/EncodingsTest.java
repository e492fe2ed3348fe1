package org.psametering.crypto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

class EncodingsTest {

    private static final PsaParameters PARAMS = PsaParameters.KHPRF_2021;
    private final GroupContext group = new GroupContext("g-wire", 4, 3, PARAMS);

    @Test
    void ciphertextRoundTripsWithItsParameterSet() {
        Ciphertext ct = new Ciphertext(123, (1L << 21) - 1, -1L);
        byte[] enc = Encodings.encode(ct, PARAMS);
        assertEquals(Encodings.CIPHERTEXT_LENGTH, enc.length);
        assertEquals(ct, Encodings.decodeCiphertext(enc));
        assertEquals(ct, Encodings.decodeCiphertext(enc, PARAMS));
        assertEquals(PARAMS, Encodings.ciphertextParameters(enc));
        assertMalformed(() -> Encodings.decodeCiphertext(enc, PsaParameters.DEFAULT), "parameter set");
    }

    @Test
    void ciphertextDecodingIsStrict() {
        byte[] good = Encodings.encode(new Ciphertext(5, 7, 9), PARAMS);
        assertMalformed(() -> Encodings.decodeCiphertext(Arrays.copyOf(good, good.length - 1)), "truncated");
        assertMalformed(() -> Encodings.decodeCiphertext(Arrays.copyOf(good, good.length + 1)), "trailing");
        assertMalformed(() -> Encodings.decodeCiphertext(new byte[0]), "truncated");
        assertMalformed(() -> Encodings.decodeCiphertext(null), "null");
        assertMalformed(() -> Encodings.decodeCiphertext(with(good, 0, 0x02)), "type");
        assertMalformed(() -> Encodings.decodeCiphertext(with(good, 1, 2)), "version");
        assertMalformed(() -> Encodings.decodeCiphertext(with(good, 3, 99)), "parameter set id 99");
        // value = 2^85 exactly: first byte of the high word stays 0, bit 21 of it set
        byte[] tooBig = with(good, 12 + 5, 0x20);
        assertMalformed(() -> Encodings.decodeCiphertext(tooBig), "below p");
        assertThrows(IllegalArgumentException.class, () -> Encodings.encode(new Ciphertext(1, 1L << 21, 0), PARAMS));
    }

    @Test
    void publicKeyRoundTripsAndIsStrict() {
        AgreementPublicKey key = AgreementKeyPair.generate(new DeterministicRandom("pk")).publicKey();
        byte[] enc = Encodings.encode(key);
        assertEquals(Encodings.PUBLIC_KEY_LENGTH, enc.length);
        assertEquals(key, Encodings.decodePublicKey(enc));
        assertMalformed(() -> Encodings.decodePublicKey(Arrays.copyOf(enc, 20)), "truncated");
        assertMalformed(() -> Encodings.decodePublicKey(Arrays.copyOf(enc, 35)), "trailing");
        assertMalformed(() -> Encodings.decodePublicKey(with(enc, 0, 0x01)), "type");
    }

    @Test
    void blindedKeyRoundTripsAndIsBoundToItsGroup() {
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "wire-blinded");
        BlindedKey key = setup.blinded().get(1);
        byte[] enc = Encodings.encode(key);
        BlindedKey back = Encodings.decodeBlindedKey(enc, setup.keySet());
        assertEquals(key.meterId(), back.meterId());
        assertArrayEquals(enc, Encodings.encode(back));

        assertMalformed(() -> Encodings.decodeBlindedKey(enc, new GroupContext("g-wire", 5, 3, PARAMS)), "epoch");
        assertMalformed(() -> Encodings.decodeBlindedKey(enc, new GroupContext("g-other", 4, 3, PARAMS)), "group id");
        assertMalformed(() -> Encodings.decodeBlindedKey(enc,
                new GroupContext("g-wire", 4, 3, PsaParameters.DEFAULT)), "parameter set");
        assertMalformed(() -> Encodings.decodeBlindedKey(Arrays.copyOf(enc, enc.length - 16), group), "truncated");
        assertMalformed(() -> Encodings.decodeBlindedKey(Arrays.copyOf(enc, enc.length + 16), group), "trailing");

        java.util.TreeMap<org.psametering.crypto.keysetup.MeterId, AgreementPublicKey> others = new java.util.TreeMap<>();
        for (String id : new String[] {"x-1", "x-2", "x-3"}) {
            others.put(new org.psametering.crypto.keysetup.MeterId(id),
                    AgreementKeyPair.generate(new DeterministicRandom(id)).publicKey());
        }
        org.psametering.crypto.keysetup.KeySet otherMembers = new org.psametering.crypto.keysetup.KeySet(group, others);
        assertMalformed(() -> Encodings.decodeBlindedKey(enc, otherMembers), "not a member");
    }

    @Test
    void secretKeysRoundTripForTheStateFile() {
        DeterministicRandom random = new DeterministicRandom("state");
        PsaKey key = PsaKey.generate(PARAMS, random);
        PsaKey back = SecretKeyCodec.importPsaKey(SecretKeyCodec.export(key));
        Ciphertext a = new PsaEncryptor(key, group, 0).encrypt(1, 42);
        Ciphertext b = new PsaEncryptor(back, group, 0).encrypt(1, 42);
        assertEquals(a, b);

        AgreementKeyPair pair = AgreementKeyPair.generate(random);
        AgreementKeyPair pairBack = SecretKeyCodec.importAgreementKeyPair(SecretKeyCodec.export(pair));
        assertEquals(pair.publicKey(), pairBack.publicKey());

        AggregationKey k = TestGroups.sumOfKeys(group, java.util.List.of(key, back));
        assertTrue(TestGroups.sameKey(k, SecretKeyCodec.importAggregationKey(SecretKeyCodec.export(k))));

        byte[] enc = SecretKeyCodec.export(key);
        assertMalformed(() -> SecretKeyCodec.importPsaKey(Arrays.copyOf(enc, enc.length - 1)), "truncated");
        assertMalformed(() -> SecretKeyCodec.importAggregationKey(enc), "type");
        assertMalformed(() -> SecretKeyCodec.importAgreementKeyPair(new byte[] {(byte) 0x82, 1}), "truncated");
    }

    private static byte[] with(byte[] in, int index, int value) {
        byte[] out = in.clone();
        out[index] = (byte) value;
        return out;
    }

    private static void assertMalformed(Executable decode, String expectedInMessage) {
        MalformedEncodingException e = assertThrows(MalformedEncodingException.class, decode);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }
}
