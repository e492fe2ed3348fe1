package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestPki;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * The head-end checks the meters' signed keys too: a forged member key is refused with its reason and never stored or
 * put into a key set, and the real member's key still completes the setup.
 */
class MemberKeyTrustTest {

    @TempDir
    Path dataDir;

    private static byte[] key() {
        return Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
    }

    @Test
    void forgedUnsignedReplayedAndForeignKeysAreRefusedWithTheirReason() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (CoreHarness h = new CoreHarness(StorageSettings.defaults(), dataDir, clock, CoreHarness.group("g", 900, 60, "m1", "m2"))) {
            GroupAnnouncement a = h.announcement("g");
            String params = a.params();
            String topic = Topics.publicKey("g", 0, "m1");
            // m2's certificate on m1's key: a valid meter, but not m1
            h.deliver(topic, SignedPublicKey.sign(TestPki.PKI.meter("m2").identity(), "g", 0, "m1", params, key()).encode());
            // a certificate for "m1" from a CA this head-end does not trust
            ThrowawayPki rogue = ThrowawayPki.create(new SecureRandom());
            h.deliver(topic, SignedPublicKey.sign(rogue.meter("m1").identity(), "g", 0, "m1", params, key()).encode());
            // a key m1 really signed, for another epoch (a replay)
            h.deliver(topic, SignedPublicKey.sign(TestPki.PKI.meter("m1").identity(), "g", 7, "m1", params, key()).encode());
            // protocol v1: the bare key
            h.deliver(topic, key());
            // a revoked certificate is refused by a head-end that has the CRL (the verifier judges it; see CertificateTrust)

            var counts = h.core.rejections().snapshot();
            assertEquals(2, counts.get(RejectReason.UNTRUSTED_CERTIFICATE));
            assertEquals(1, counts.get(RejectReason.BAD_SIGNATURE));
            assertEquals(1, counts.get(RejectReason.MALFORMED));
            assertEquals(4, h.acks.get(), "refused keys are acknowledged (redelivery would not make them valid)");
            assertTrue(h.publisher.last(Topics.keySet("g", 0)).isEmpty());

            var meters = h.setUpKeys("g"); // the real members complete the setup
            assertFalse(meters.isEmpty());
            assertTrue(h.publisher.last(Topics.keySet("g", 0)).isPresent());
            assertEquals(List.of("m1", "m2"), org.psametering.protocol.KeySetMessage.fromJson(
                    h.publisher.last(Topics.keySet("g", 0)).orElseThrow().payload()).members());
        }
    }
}
