package org.psametering.crypto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.psametering.fuzz.SeedCorpus.seeds;
import static org.psametering.fuzz.SeedCorpus.with;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz targets for every shared-crypto decoder of outside bytes. Property: any input either decodes, and then
 * re-encodes to exactly the same bytes (the encodings are canonical), or throws {@link MalformedEncodingException};
 * any other exception, an OutOfMemoryError or a hang is a finding. Regression mode (every build) replays the committed
 * seeds in src/test/resources/.../WireDecodersFuzzTestInputs/; {@code ./psa fuzz} runs them in fuzzing mode.
 */
class WireDecodersFuzzTest {

    private static final PsaParameters PARAMS = PsaParameters.KHPRF_2021;
    /** The group the blinded-key target decodes against: small, so that the fuzzer can reach a valid encoding. */
    private static final GroupContext GROUP = new GroupContext("g-fuzz", 4, 3, PARAMS);
    private static final TestGroups.Setup SETUP = TestGroups.withKeySetup(GROUP, "wire-fuzz");

    @FuzzTest
    void ciphertext(byte[] input) {
        Ciphertext ct;
        PsaParameters params;
        try {
            ct = Encodings.decodeCiphertext(input);
            params = Encodings.ciphertextParameters(input);
        } catch (MalformedEncodingException expected) {
            return;
        }
        assertArrayEquals(input, Encodings.encode(ct, params));
    }

    @FuzzTest
    void publicKey(byte[] input) {
        try {
            assertArrayEquals(input, Encodings.encode(Encodings.decodePublicKey(input)));
        } catch (MalformedEncodingException expected) {
            // refused with the documented error
        }
    }

    @FuzzTest
    void blindedKey(byte[] input) {
        BlindedKey key;
        try {
            key = Encodings.decodeBlindedKey(input, SETUP.keySet());
        } catch (MalformedEncodingException expected) {
            return;
        }
        assertArrayEquals(input, Encodings.encode(key));
    }

    @FuzzTest
    void psaSecretKey(byte[] input) {
        try {
            assertArrayEquals(input, SecretKeyCodec.export(SecretKeyCodec.importPsaKey(input)));
        } catch (MalformedEncodingException expected) {
            // refused with the documented error
        }
    }

    @FuzzTest
    void aggregationKey(byte[] input) {
        try {
            assertArrayEquals(input, SecretKeyCodec.export(SecretKeyCodec.importAggregationKey(input)));
        } catch (MalformedEncodingException expected) {
            // refused with the documented error
        }
    }

    @FuzzTest
    void agreementKeyPair(byte[] input) {
        try {
            assertArrayEquals(input, SecretKeyCodec.export(SecretKeyCodec.importAgreementKeyPair(input)));
        } catch (MalformedEncodingException expected) {
            // refused with the documented error
        }
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=WireDecodersFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        DeterministicRandom random = new DeterministicRandom("wire-fuzz-seeds");
        byte[] ct = Encodings.encode(new Ciphertext(1_953_000, (1L << 21) - 1, -1L), PARAMS);
        byte[] ctDefault = Encodings.encode(new Ciphertext(0, 0, 42), PsaParameters.DEFAULT);
        byte[] pk = Encodings.encode(SETUP.meters().get(0).agreement().publicKey());
        byte[] blinded = Encodings.encode(SETUP.blinded().get(1));
        SeedCorpus corpus = new SeedCorpus(getClass());
        corpus.write("ciphertext", seeds("khprf", ct, "default", ctDefault, "too-big", with(ct, 17, 0x20),
                "truncated", Arrays.copyOf(ct, ct.length - 1), "empty", new byte[0]));
        corpus.write("publicKey", seeds("valid", pk, "wrong-type", with(pk, 0, 0x01), "trailing", Arrays.copyOf(pk, 35)));
        corpus.write("blindedKey", seeds("valid", blinded, "other-group", with(blinded, 14, 'x'),
                "long-meter-id", with(blinded, 19, 0xff), "truncated", Arrays.copyOf(blinded, 40)));
        byte[] psaKey = SecretKeyCodec.export(PsaKey.generate(PARAMS, random));
        corpus.write("psaSecretKey", seeds("valid", psaKey, "unknown-params", with(psaKey, 3, 99),
                "truncated", Arrays.copyOf(psaKey, 100)));
        AggregationKey k = TestGroups.sumOfKeys(GROUP, SETUP.meters().stream().map(TestGroups.Meter::key).toList());
        byte[] aggregation = SecretKeyCodec.export(k);
        corpus.write("aggregationKey", seeds("valid", aggregation, "psa-key-type", with(aggregation, 0, 0x81),
                "truncated", Arrays.copyOf(aggregation, 4)));
        byte[] pair = SecretKeyCodec.export(AgreementKeyPair.generate(random));
        corpus.write("agreementKeyPair", seeds("valid", pair, "version-2", with(pair, 1, 2), "short", Arrays.copyOf(pair, 3)));
    }
}
