package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochPhase;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.CrlFileTrust;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * A dishonest head-end (or anyone who can publish on the group's topics) against the meters' own checks: every
 * manipulated key set or announcement is refused with its reason, no meter blinds its key for it, and the honest
 * setup that follows still aggregates exactly.
 */
class KeySetTrustTest {

    private static final List<String> IDS = List.of("m1", "m2", "m3", "m4", "m5");
    private static final String GROUP = GroupHarness.GROUP;

    private final GroupHarness h = new GroupHarness(IDS);

    /** Announces {@code epoch} (signed by the real head-end) and returns the signed keys the members published. */
    private Map<String, byte[]> announce(long epoch, List<String> members) {
        byte[] headEnd = Encodings.encode(AgreementKeyPair.generate(h.random).publicKey());
        h.broadcast(Topics.announce(GROUP), new GroupAnnouncement(GROUP, epoch, GroupHarness.PARAMS.name(), GroupHarness.STEP,
                members, headEnd, GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson());
        Map<String, byte[]> keys = new TreeMap<>();
        for (String id : members) {
            GroupHarness.Member m = h.member(id);
            if (m != null) {
                List<RecordingOutbound.Sent> sent = m.outbound.on(Topics.publicKey(GROUP, epoch, id));
                keys.put(id, sent.get(sent.size() - 1).payload());
            }
        }
        return keys;
    }

    private void sendKeySet(long epoch, Map<String, byte[]> keys) {
        h.broadcast(Topics.keySet(GROUP, epoch), new KeySetMessage(GROUP, epoch, GroupHarness.PARAMS.name(), keys).toJson());
    }

    private static byte[] signedBy(ThrowawayPki.Issued signer, long epoch, String member) {
        byte[] key = Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
        return SignedPublicKey.sign(signer.identity(), GROUP, epoch, member, GroupHarness.PARAMS.name(), key).encode();
    }

    private void assertNobodyBlindedAndEveryoneRefused(TrustRefusal reason) {
        for (String id : IDS) {
            GroupHarness.Member m = h.member(id);
            assertTrue(m.outbound.on("/blinded/").isEmpty(), id + " sent no blinded key");
            assertEquals(1, m.agent.stats().refused(reason), id + " counted " + reason + ": " + m.agent.stats().trustRefusals());
            assertTrue(m.agent.stats().lastTrustRefusal().startsWith(reason.name()), m.agent.stats().lastTrustRefusal());
        }
    }

    /** After a refused setup the honest head-end's next epoch works and sums exactly. */
    private void assertAnHonestEpochThenSumsExactly(long epoch) {
        long from = h.setUpEpoch(epoch);
        h.tickAll();
        h.step(0, 0, 0, 0, 0); // ends label from - 1: the epoch is not active yet
        h.step(1, 2, 3, 4, 5);
        Map<Long, List<Ciphertext>> byLabel = h.ciphertexts().get(epoch);
        assertEquals(15, h.aggregate(epoch, from, byLabel.get(from)));
    }

    @Test
    void aKeySwappedByTheHeadEndIsRefusedByEveryMeter() {
        Map<String, byte[]> keys = announce(1, IDS);
        // the head-end's own key for m3, signed by a real meter certificate of another meter (it has none for m3)
        keys.put("m3", signedBy(TestTrust.PKI.meter("someone-else"), 1, "m3"));
        sendKeySet(1, keys);
        assertNobodyBlindedAndEveryoneRefused(TrustRefusal.MEMBER_CERTIFICATE);
        assertEquals(EpochPhase.KEY_SETUP, h.member("m1").agent.state().epoch(1).orElseThrow().phase());
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void anInventedMemberWithoutACertificateFromTheTrustedCaIsRefused() {
        List<String> withGhost = List.of("ghost", "m1", "m2", "m3", "m4", "m5");
        Map<String, byte[]> keys = announce(1, withGhost);
        ThrowawayPki rogueCa = ThrowawayPki.create(new SecureRandom());
        keys.put("ghost", signedBy(rogueCa.meter("ghost"), 1, "ghost"));
        sendKeySet(1, keys);
        assertNobodyBlindedAndEveryoneRefused(TrustRefusal.MEMBER_CERTIFICATE);
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void anUnsignedMemberKeyIsRefused() {
        Map<String, byte[]> keys = announce(1, IDS);
        keys.put("m2", Encodings.encode(AgreementKeyPair.generate(h.random).publicKey())); // a protocol-v1 bare key
        sendKeySet(1, keys);
        assertNobodyBlindedAndEveryoneRefused(TrustRefusal.MEMBER_KEY_MALFORMED);
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void aKeyFromAnOlderEpochIsRefusedAsABadSignature() {
        Map<String, byte[]> epochOne = announce(1, IDS);
        Map<String, byte[]> keys = announce(2, IDS);
        keys.put("m4", epochOne.get("m4")); // validly signed, for epoch 1
        sendKeySet(2, keys);
        assertNobodyBlindedAndEveryoneRefused(TrustRefusal.MEMBER_SIGNATURE);
        assertAnHonestEpochThenSumsExactly(3);
    }

    @Test
    void aMemberCopyingAnotherMembersKeyIsRefusedAsADuplicate() {
        Map<String, byte[]> keys = announce(1, IDS);
        byte[] m2Key = SignedPublicKey.parse(keys.get("m2")).keyEncoding();
        keys.put("m5", SignedPublicKey.sign(TestTrust.PKI.meter("m5").identity(), GROUP, 1, "m5", GroupHarness.PARAMS.name(), m2Key)
                .encode());
        sendKeySet(1, keys);
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            assertTrue(h.member(id).outbound.on("/blinded/").isEmpty());
            assertEquals(1, h.member(id).agent.stats().refused(TrustRefusal.DUPLICATE_KEY));
        }
        assertTrue(h.member("m5").outbound.on("/blinded/").isEmpty());
        assertEquals(1, h.member("m5").agent.stats().refused(TrustRefusal.DUPLICATE_KEY));
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void checkedOnFourThreadsTheFirstBadMemberInOrderIsReportedAndNothingBlinded() {
        h.trustOf = id -> TestTrust.meter(id, h.clock).withKeySetupThreads(4);
        IDS.forEach(id -> h.start(h.member(id), true));
        Map<String, byte[]> keys = announce(1, IDS);
        keys.put("m2", signedBy(TestTrust.PKI.meter("someone-else"), 1, "m2")); // certificate of another meter
        keys.put("m4", Encodings.encode(AgreementKeyPair.generate(h.random).publicKey())); // unsigned
        sendKeySet(1, keys);
        assertNobodyBlindedAndEveryoneRefused(TrustRefusal.MEMBER_CERTIFICATE);
        for (String id : IDS) {
            assertTrue(h.member(id).agent.stats().lastTrustRefusal().contains("member m2 "), h.member(id).agent.stats().lastTrustRefusal());
        }
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void aRevokedMemberIsRefused() {
        var crl = TestTrust.PKI.revoking(List.of("m5"));
        h.trustOf = id -> new MeterTrust(TestTrust.PKI.meter(id).identity(), TestTrust.PKI.verifier(h.clock, crl),
                ThrowawayPki.HEAD_END_NAME, 1);
        IDS.forEach(id -> h.start(h.member(id), true));
        Map<String, byte[]> keys = announce(1, IDS);
        sendKeySet(1, keys);
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            assertTrue(h.member(id).outbound.on("/blinded/").isEmpty(), id);
            assertEquals(1, h.member(id).agent.stats().refused(TrustRefusal.MEMBER_REVOKED), id);
        }
    }

    @Test
    void aMemberRevokedAfterTheStartIsRefusedInTheNextKeySet(@TempDir Path dir) throws Exception {
        Path crlFile = dir.resolve("ca.crl");
        Files.writeString(crlFile, Pem.writeCrl(TestTrust.PKI.revoking(List.of())));
        CrlFileTrust.Listener quiet = new CrlFileTrust.Listener() {
            @Override
            public void loaded(Path file, java.security.cert.X509CRL crl) {
            }

            @Override
            public void failed(Path file, String reason) {
                throw new AssertionError(reason);
            }
        };
        // an hour between scheduled looks: only the look before each key set can pick the new CRL up in this test
        h.trustOf = id -> new MeterTrust(TestTrust.PKI.meter(id).identity(),
                CrlFileTrust.open(TestTrust.PKI.anchor(), crlFile, h.clock, Duration.ofHours(1), quiet), ThrowawayPki.HEAD_END_NAME, 1);
        IDS.forEach(id -> h.start(h.member(id), true));
        assertAnHonestEpochThenSumsExactly(1);

        Path next = dir.resolve("ca.crl.new"); // as an operator would: write aside, then rename over the old file
        Files.writeString(next, Pem.writeCrl(TestTrust.PKI.revoking(List.of("m5"))));
        Files.move(next, crlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        sendKeySet(2, announce(2, IDS));
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            assertTrue(h.member(id).outbound.on(Topics.blindedKey(GROUP, 2, id)).isEmpty(), id + " blinded nothing for epoch 2");
            assertEquals(1, h.member(id).agent.stats().refused(TrustRefusal.MEMBER_REVOKED), id);
            assertTrue(h.member(id).agent.stats().lastTrustRefusal().contains("member m5 "), h.member(id).agent.stats().lastTrustRefusal());
        }
    }

    @Test
    void aGroupBelowTheMinimumIsNeitherJoinedNorBlinded() {
        h.trustOf = id -> TestTrust.meter(id, h.clock).withMinGroupSize(5);
        IDS.forEach(id -> h.start(h.member(id), true));
        byte[] headEnd = Encodings.encode(AgreementKeyPair.generate(h.random).publicKey());
        h.broadcast(Topics.announce(GROUP), new GroupAnnouncement(GROUP, 1, GroupHarness.PARAMS.name(), GroupHarness.STEP,
                List.of("m1", "m2", "m3"), headEnd, GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson());
        for (String id : List.of("m1", "m2", "m3")) {
            GroupHarness.Member m = h.member(id);
            assertTrue(m.outbound.on("/pubkey/").isEmpty(), id + " did not even generate a key");
            assertEquals(2, m.agent.stats().refused(TrustRefusal.GROUP_TOO_SMALL), "on the group's and the epoch's topic");
        }
        assertAnHonestEpochThenSumsExactly(2);
    }

    @Test
    void unsignedForeignOrTamperedAnnouncementsAreRefused() {
        GroupHarness.Member m1 = h.member("m1");
        byte[] headEnd = Encodings.encode(AgreementKeyPair.generate(h.random).publicKey());
        byte[] json = new GroupAnnouncement(GROUP, 1, GroupHarness.PARAMS.name(), GroupHarness.STEP, IDS, headEnd,
                GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson();
        m1.agent.onMessage(Topics.announce(GROUP), json);
        assertEquals(1, m1.agent.stats().refused(TrustRefusal.UNSIGNED));

        byte[] foreign = SignedMessage.sign(TestTrust.PKI.headEnd("another-head-end").identity(), SignedMessage.Kind.ANNOUNCEMENT,
                json).encode();
        m1.agent.onMessage(Topics.announce(GROUP), foreign);
        assertEquals(1, m1.agent.stats().refused(TrustRefusal.HEAD_END_CERTIFICATE));

        byte[] meterSigned = SignedMessage.sign(TestTrust.PKI.meter("m2").identity(), SignedMessage.Kind.ANNOUNCEMENT, json).encode();
        m1.agent.onMessage(Topics.announce(GROUP), meterSigned);
        assertEquals(2, m1.agent.stats().refused(TrustRefusal.HEAD_END_CERTIFICATE));

        byte[] tampered = TestTrust.signed(Topics.announce(GROUP), json);
        int at = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\"epoch\":1");
        tampered[at + 8] = '7';
        m1.agent.onMessage(Topics.announce(GROUP), tampered);
        assertEquals(1, m1.agent.stats().refused(TrustRefusal.HEAD_END_SIGNATURE));

        byte[] asRecovery = SignedMessage.sign(TestTrust.PKI.headEnd().identity(), SignedMessage.Kind.RECOVERY_REQUEST, json).encode();
        m1.agent.onMessage(Topics.announce(GROUP), asRecovery);
        assertEquals(2, m1.agent.stats().refused(TrustRefusal.UNSIGNED), "another kind of signed message is not an announcement");

        assertTrue(m1.outbound.on("/pubkey/").isEmpty(), "nothing was acted on");
        assertTrue(m1.agent.state().epochs().isEmpty());
        assertAnHonestEpochThenSumsExactly(1);
    }
}
