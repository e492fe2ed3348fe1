package org.psametering.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.psametering.fuzz.SeedCorpus.seeds;
import static org.psametering.fuzz.SeedCorpus.with;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz targets for everything a meter or the head-end parses from the broker: sealed frames, the JSON messages and
 * topic names. Property: any input either parses, and then survives a round trip through the writer, or throws
 * {@link MalformedMessageException} (or {@link ForgedMessageException} for a frame whose tag does not verify); any
 * other exception, an OutOfMemoryError or a hang is a finding.
 */
class ProtocolDecodersFuzzTest {

    private static final byte[] SECRET = new byte[32];

    static {
        Arrays.fill(SECRET, (byte) 7);
    }

    private static final MessageKey KEY = MessageKey.derive(SECRET, "g-fuzz", 4, "meter-00001");

    @FuzzTest
    void ciphertextFrame(byte[] input) {
        CiphertextMessage message;
        try {
            message = CiphertextMessage.parse(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        byte[] resealed = CiphertextMessage.seal(message.ciphertextEncoding(), KEY);
        assertSameHeaderAndBody(input, resealed);
        try {
            message.verify(KEY);
        } catch (ForgedMessageException expected) {
            return;
        }
        assertArrayEquals(input, resealed);
    }

    @FuzzTest
    void blindedKeyFrame(byte[] input) {
        BlindedKeyMessage message;
        try {
            message = BlindedKeyMessage.parse(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        byte[] resealed = BlindedKeyMessage.seal(message.blindedKeyEncoding(), KEY);
        assertSameHeaderAndBody(input, resealed);
        try {
            message.verify(KEY);
        } catch (ForgedMessageException expected) {
            return;
        }
        assertArrayEquals(input, resealed);
    }

    /** A recovery answer frame: it parses or is refused; once its tag verifies, resealing the body gives the same bytes. */
    @FuzzTest
    void recoveryAnswerFrame(byte[] input) {
        RecoveryAnswerMessage message;
        try {
            message = RecoveryAnswerMessage.parse(input).verify(KEY);
        } catch (MalformedMessageException | ForgedMessageException expected) {
            return;
        }
        assertArrayEquals(input, RecoveryAnswerMessage.seal(message.answerEncoding(), KEY));
    }

    @FuzzTest
    void recoveryRequest(byte[] input) {
        RecoveryRequestMessage parsed;
        try {
            parsed = RecoveryRequestMessage.fromJson(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertEquals(parsed, RecoveryRequestMessage.fromJson(parsed.toJson()));
    }

    @FuzzTest
    void announcement(byte[] input) {
        GroupAnnouncement parsed;
        try {
            parsed = GroupAnnouncement.fromJson(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertEquals(parsed, GroupAnnouncement.fromJson(parsed.toJson()));
    }

    /** A meter's signed epoch key: parses and re-encodes to the same bytes, or is refused as malformed. */
    @FuzzTest
    void signedPublicKey(byte[] input) {
        SignedPublicKey key;
        try {
            key = SignedPublicKey.parse(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertArrayEquals(input, key.encode());
    }

    /**
     * The head-end's signed envelope: parses and re-encodes to the same bytes, or is refused; opening it with a
     * verifier that accepts any certificate (the fixed identity's key) either yields the body or refuses the signature.
     */
    @FuzzTest
    void signedMessage(byte[] input) {
        SignedMessage message;
        try {
            message = SignedMessage.parse(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertArrayEquals(input, message.encode());
        try {
            message.open(message.kind(), ANY_CERTIFICATE, "head-end");
        } catch (org.psametering.protocol.trust.UntrustedIdentityException expected) {
            // a changed byte under the signature
        }
    }

    private static final java.security.PublicKey FIXED_HEAD_END_KEY = fixedPublicKey(20);
    private static final org.psametering.protocol.trust.IdentityVerifier ANY_CERTIFICATE =
            new org.psametering.protocol.trust.IdentityVerifier() {
                @Override
                public java.security.PublicKey meter(byte[] certificateDer, String meterId) {
                    return FIXED_HEAD_END_KEY;
                }

                @Override
                public java.security.PublicKey headEnd(byte[] certificateDer, String name) {
                    return FIXED_HEAD_END_KEY;
                }
            };

    private static java.security.PublicKey fixedPublicKey(int seed) {
        try {
            java.security.SecureRandom deterministic = java.security.SecureRandom.getInstance("SHA1PRNG");
            deterministic.setSeed(seed);
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, deterministic);
            return generator.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void keySet(byte[] input) {
        KeySetMessage parsed;
        try {
            parsed = KeySetMessage.fromJson(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertEquals(parsed, KeySetMessage.fromJson(parsed.toJson()));
    }

    @FuzzTest
    void result(byte[] input) {
        ResultMessage parsed;
        try {
            parsed = ResultMessage.fromJson(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        assertEquals(parsed, ResultMessage.fromJson(parsed.toJson()));
    }

    /** Topic names arrive as MQTT UTF-8 strings; a parsed topic rebuilds to a name that parses to the same topic. */
    @FuzzTest
    void topic(byte[] input) {
        Topic parsed;
        try {
            parsed = Topics.parse(new String(input, UTF_8));
        } catch (MalformedMessageException expected) {
            return;
        }
        assertEquals(parsed, Topics.parse(name(parsed)));
    }

    private static String name(Topic t) {
        return switch (t.kind()) {
            case ANNOUNCE -> t.epoch() < 0 ? Topics.announce(t.group()) : Topics.epochAnnounce(t.group(), t.epoch());
            case RESULT -> Topics.result(t.group());
            case KEYSET -> Topics.keySet(t.group(), t.epoch());
            case PUBKEY -> Topics.publicKey(t.group(), t.epoch(), t.meterId());
            case BLINDED -> Topics.blindedKey(t.group(), t.epoch(), t.meterId());
            case CIPHERTEXT -> Topics.ciphertext(t.group(), t.epoch(), t.meterId());
            case RECOVERY -> Topics.recovery(t.group(), t.epoch());
            case RECOVERY_ANSWER -> Topics.recoveryAnswer(t.group(), t.epoch(), t.meterId());
        };
    }

    private static void assertSameHeaderAndBody(byte[] input, byte[] resealed) {
        int tagStart = input.length - MessageKey.TAG_BYTES;
        assertArrayEquals(Arrays.copyOf(input, tagStart), Arrays.copyOf(resealed, tagStart));
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=ProtocolDecodersFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        SeedCorpus corpus = new SeedCorpus(getClass());
        byte[] ct = CiphertextMessage.seal(Encodings.encode(new Ciphertext(1_953_000, 5, 7), PsaParameters.KHPRF_2021), KEY);
        byte[] huge = ct.clone();
        huge[2] = (byte) 0x7f; // declares a body of ~2 GiB
        corpus.write("ciphertextFrame", seeds("valid", ct, "forged", with(ct, ct.length - 1, ct[ct.length - 1] ^ 1),
                "huge-length", huge, "blinded-type", with(ct, 1, 2), "empty", new byte[0]));
        byte[] blinded = BlindedKeyMessage.seal(new byte[]{3, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4}, KEY);
        corpus.write("blindedKeyFrame", seeds("valid", blinded, "forged", with(blinded, 8, 9),
                "truncated", Arrays.copyOf(blinded, 10), "ciphertext-type", with(blinded, 1, 1)));

        GroupAnnouncement setup = new GroupAnnouncement("feeder-1", 4, PsaParameters.DEFAULT.name(), 900,
                List.of("meter-00000", "meter-00001"), new byte[]{2, 1, 9, 9}, GroupPhase.KEY_SETUP, OptionalLong.empty());
        String activeJson = new String(setup.activate(1_953_000).toJson(), UTF_8);
        GroupAnnouncement sparse = new GroupAnnouncement("feeder-1", 4, PsaParameters.DEFAULT.name(), 900,
                List.of("meter-00000", "meter-00001"), new byte[]{2, 1, 9, 9}, GroupPhase.KEY_SETUP, OptionalLong.empty(),
                java.util.Optional.of(new org.psametering.crypto.keysetup.GraphSpec(new byte[32], -1L)));
        corpus.write("announcement", seeds("key-setup", setup.toJson(), "active", activeJson.getBytes(UTF_8),
                "sparse-graph", sparse.toJson(),
                "deep-nesting", ("{\"members\":" + "[".repeat(2000) + "]".repeat(2000) + "}").getBytes(UTF_8),
                "huge-epoch", activeJson.replace("\"epoch\":4", "\"epoch\":99999999999999999999999").getBytes(UTF_8),
                "not-json", "{\"version\":1,".getBytes(UTF_8)));
        byte[] key0 = SignedPublicKey.sign(FixedIdentity.of(10), "feeder-1", 4, "meter-00000", PsaParameters.DEFAULT.name(),
                new byte[]{2, 1, 5}).encode();
        byte[] key1 = SignedPublicKey.sign(FixedIdentity.of(11), "feeder-1", 4, "meter-00001", PsaParameters.DEFAULT.name(),
                new byte[]{2, 1, 6}).encode();
        KeySetMessage keySet = new KeySetMessage("feeder-1", 4, PsaParameters.DEFAULT.name(),
                Map.of("meter-00000", key0, "meter-00001", key1));
        String keySetJson = new String(keySet.toJson(), UTF_8);
        corpus.write("keySet", seeds("valid", keySet.toJson(),
                "unsorted", keySetJson.replace("meter-00000", "meter-00009").getBytes(UTF_8),
                "member-not-object", "{\"version\":2,\"group\":\"g\",\"epoch\":1,\"params\":\"p\",\"members\":[1]}".getBytes(UTF_8)));
        corpus.write("signedPublicKey", seeds("valid", key0, "truncated", Arrays.copyOf(key0, 20),
                "version-1-bare-key", new byte[]{2, 1, 5}, "huge-certificate-length", with(key0, 6, 0xff)));
        byte[] signedAnnouncement = SignedMessage.sign(FixedIdentity.of(20), SignedMessage.Kind.ANNOUNCEMENT, setup.toJson()).encode();
        corpus.write("signedMessage", seeds("announcement", signedAnnouncement,
                "key-set", SignedMessage.sign(FixedIdentity.of(20), SignedMessage.Kind.KEY_SET, keySet.toJson()).encode(),
                "unsigned-json", setup.toJson(), "unknown-kind", with(signedAnnouncement, 1, 9),
                "huge-body-length", with(signedAnnouncement, 2, 0x7f)));
        corpus.write("result", seeds("complete", ResultMessage.complete("feeder-1", 4, 1_953_000, 12_345).toJson(),
                "incomplete", ResultMessage.incomplete("feeder-1", 4, 1_953_001, List.of("meter-00001")).toJson(),
                "float-sum", "{\"version\":1,\"group\":\"g\",\"epoch\":1,\"label\":2,\"status\":\"COMPLETE\",\"sum\":1.5,\"missing\":[]}"
                        .getBytes(UTF_8)));
        RecoveryRequestMessage request = new RecoveryRequestMessage("feeder-1", 4, 1_953_000, List.of("meter-00002", "meter-00007"));
        corpus.write("recoveryRequest", seeds("request", request.toJson(),
                "missing-not-array", "{\"version\":1,\"group\":\"g\",\"epoch\":1,\"label\":2,\"missing\":7}".getBytes(UTF_8)));
        corpus.write("recoveryAnswerFrame", seeds("answer", RecoveryAnswerMessage.seal(new byte[60], KEY),
                "short", new byte[]{3, 1}));
        corpus.write("topic", seeds("announce", Topics.announce("feeder-1").getBytes(UTF_8),
                "result", Topics.result("feeder-1").getBytes(UTF_8),
                "keyset", Topics.keySet("feeder-1", 4).getBytes(UTF_8),
                "pubkey", Topics.publicKey("feeder-1", 4, "meter-00001").getBytes(UTF_8),
                "blinded", Topics.blindedKey("feeder-1", 4, "meter-00001").getBytes(UTF_8),
                "ct", Topics.ciphertext("feeder-1", 4, "meter-00001").getBytes(UTF_8),
                "epoch-announce", Topics.epochAnnounce("feeder-1", 4).getBytes(UTF_8),
                "recovery", Topics.recovery("feeder-1", 4).getBytes(UTF_8),
                "recovery-answer", Topics.recoveryAnswer("feeder-1", 4, "meter-00001").getBytes(UTF_8),
                "leading-zero-epoch", "psa/v1/g/007/ct/m".getBytes(UTF_8),
                "too-deep", "psa/v1/g/4/ct/m/extra".getBytes(UTF_8),
                "root-only", "psa/v1/".getBytes(UTF_8)));
    }
}
