package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochPhase;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * A dishonest head-end (or a broker without ACL) against a meter's per-meter key set of a sparse-graph epoch: every
 * manipulation is refused with its reason and counted, the meter blinds nothing, and the honest set that follows
 * still works (so a refusal blocks nothing for good).
 */
class SparseKeySetTrustTest {

    private static final String GROUP = SparseGroupHarness.GROUP;
    private static final String ME = "m-07";

    private final SparseGroupHarness h = new SparseGroupHarness(30, null);
    private final GroupHarness.Member me = h.member(ME);

    private void deliver(String topic, KeySetMessage keySet) {
        h.deliver(me, topic, keySet.toJson());
    }

    private KeySetMessage perMeter(Map<String, byte[]> members, String recipient) {
        return new KeySetMessage(GROUP, 1, SparseGroupHarness.PARAMS.name(), members, Optional.of(recipient));
    }

    private Map<String, byte[]> honestMembers() {
        KeySetMessage honest = h.keySetFor(1, ME);
        Map<String, byte[]> members = new TreeMap<>();
        honest.members().forEach(id -> members.put(id, honest.signedKey(id)));
        return members;
    }

    /** Refused for reason, counted once, nothing blinded, still in KEY_SETUP; then the honest set is blinded. */
    private void assertRefusedThenHonestWorks(TrustRefusal reason) {
        assertTrue(me.outbound.on("/blinded/").isEmpty(), "no blinded key");
        assertEquals(1, me.agent.stats().refused(reason), me.agent.stats().trustRefusals().toString());
        assertTrue(me.agent.stats().lastTrustRefusal().startsWith(reason.name()), me.agent.stats().lastTrustRefusal());
        assertEquals(EpochPhase.KEY_SETUP, me.agent.state().epoch(1).orElseThrow().phase());
        deliver(Topics.meterKeySet(GROUP, 1, ME), h.keySetFor(1, ME));
        assertEquals(1, me.outbound.on("/blinded/").size(), "the honest per-meter set is blinded");
    }

    private static byte[] signedKey(ThrowawayPki.Issued signer, long epoch, String member, byte[] key) {
        return SignedPublicKey.sign(signer.identity(), GROUP, epoch, member, SparseGroupHarness.PARAMS.name(), key).encode();
    }

    private static byte[] freshKey() {
        return Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
    }

    @Test
    void theWholeGroupsKeySetForASparseEpochIsRefused() {
        Map<String, byte[]> all = h.announce(1);
        // every member's genuine signed key, but over the complete graph: the meter would add masks nobody subtracts
        deliver(Topics.keySet(GROUP, 1), new KeySetMessage(GROUP, 1, SparseGroupHarness.PARAMS.name(), all));
        assertRefusedThenHonestWorks(TrustRefusal.KEY_SET_WRONG_GRAPH);
    }

    @Test
    void aPerMeterKeySetForACompleteGraphEpochIsRefused() {
        byte[] headEnd = Encodings.encode(AgreementKeyPair.generate(h.random).publicKey());
        GroupAnnouncement complete = new GroupAnnouncement(GROUP, 1, SparseGroupHarness.PARAMS.name(), SparseGroupHarness.STEP,
                h.ids, headEnd, GroupPhase.KEY_SETUP, OptionalLong.empty());
        h.deliver(me, Topics.announce(GROUP), complete.toJson());
        assertTrue(me.agent.state().epoch(1).orElseThrow().sparseRow().isEmpty());
        byte[] mine = me.outbound.on(Topics.publicKey(GROUP, 1, ME)).get(0).payload();
        Map<String, byte[]> members = new TreeMap<>();
        members.put(ME, mine);
        for (String other : List.of("m-01", "m-02")) {
            members.put(other, signedKey(TestTrust.PKI.meter(other), 1, other, freshKey()));
        }
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertTrue(me.outbound.on("/blinded/").isEmpty(), "no blinded key");
        assertEquals(1, me.agent.stats().refused(TrustRefusal.KEY_SET_WRONG_GRAPH));
        assertEquals(EpochPhase.KEY_SETUP, me.agent.state().epoch(1).orElseThrow().phase());
    }

    @Test
    void anotherMetersKeySetIsRefusedWhetherTheTopicOrTheSignedRecipientNamesIt() {
        h.announce(1);
        String other = "m-08";
        deliver(Topics.meterKeySet(GROUP, 1, ME), h.keySetFor(1, other)); // on my topic, signed for m-08
        assertEquals(1, me.agent.stats().refused(TrustRefusal.KEY_SET_WRONG_RECIPIENT));
        deliver(Topics.meterKeySet(GROUP, 1, other), h.keySetFor(1, ME)); // signed for me, on m-08's topic
        assertEquals(2, me.agent.stats().refused(TrustRefusal.KEY_SET_WRONG_RECIPIENT));
        assertTrue(me.outbound.on("/blinded/").isEmpty(), "no blinded key");
        deliver(Topics.meterKeySet(GROUP, 1, ME), h.keySetFor(1, ME));
        assertEquals(1, me.outbound.on("/blinded/").size());
    }

    @Test
    void aMissingNeighbourIsRefused() {
        h.announce(1);
        Map<String, byte[]> members = honestMembers();
        members.remove(h.neighbours(1, ME).get(0));
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.NEIGHBOURS_MISMATCH);
    }

    @Test
    void anExtraMemberIsRefused() {
        Map<String, byte[]> all = h.announce(1);
        Map<String, byte[]> members = honestMembers();
        String stranger = h.ids.stream().filter(id -> !members.containsKey(id)).findFirst().orElseThrow();
        members.put(stranger, all.get(stranger)); // a genuine signed key, but not a neighbour
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.NEIGHBOURS_MISMATCH);
    }

    @Test
    void aNeighbourKeySignedWithAnotherMetersCertificateIsRefused() {
        h.announce(1);
        Map<String, byte[]> members = honestMembers();
        String neighbour = h.neighbours(1, ME).get(1);
        members.put(neighbour, signedKey(TestTrust.PKI.meter("someone-else"), 1, neighbour, freshKey()));
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.MEMBER_CERTIFICATE);
    }

    @Test
    void aNeighbourKeyFromAnotherEpochIsRefusedAsABadSignature() {
        h.announce(1);
        Map<String, byte[]> members = honestMembers();
        String neighbour = h.neighbours(1, ME).get(0);
        members.put(neighbour, signedKey(TestTrust.PKI.meter(neighbour), 0, neighbour, freshKey())); // signed for epoch 0
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.MEMBER_SIGNATURE);
    }

    @Test
    void twoNeighboursWithTheSameKeyAreRefused() {
        h.announce(1);
        Map<String, byte[]> members = honestMembers();
        byte[] shared = freshKey();
        for (String neighbour : h.neighbours(1, ME).subList(0, 2)) {
            members.put(neighbour, signedKey(TestTrust.PKI.meter(neighbour), 1, neighbour, shared));
        }
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.DUPLICATE_KEY);
    }

    @Test
    void aKeyForThisMeterThatItDidNotPublishIsRefused() {
        h.announce(1);
        Map<String, byte[]> members = honestMembers();
        members.put(ME, signedKey(TestTrust.PKI.meter(ME), 1, ME, freshKey())); // even validly signed: not the one it made
        deliver(Topics.meterKeySet(GROUP, 1, ME), perMeter(members, ME));
        assertRefusedThenHonestWorks(TrustRefusal.OWN_KEY);
    }

    @Test
    void aGraphChangedWithoutANewEpochIsRefusedOnceTheBlindedKeyIsOut() {
        h.announce(1);
        deliver(Topics.meterKeySet(GROUP, 1, ME), h.keySetFor(1, ME));
        assertEquals(EpochPhase.BLINDED_SENT, me.agent.state().epoch(1).orElseThrow().phase());
        GroupAnnouncement joined = h.announcement(1);
        // the same epoch with another graph (other seed, every pair an edge): the masks it blinded with would not cancel
        byte[] seed = SparseGroupHarness.sha256("another graph");
        GroupAnnouncement changed = new GroupAnnouncement(GROUP, 1, joined.params(), joined.stepSeconds(), joined.members(),
                joined.headEndPublicKey(), GroupPhase.KEY_SETUP, OptionalLong.empty(),
                Optional.of(new org.psametering.crypto.keysetup.GraphSpec(seed, -1L)));
        h.deliver(me, Topics.announce(GROUP), changed.toJson());
        assertEquals(1, me.agent.stats().refused(AnnouncementRefusal.CHANGED_WITHOUT_NEW_EPOCH));
        assertEquals(h.neighbours(1, ME), me.agent.state().epoch(1).orElseThrow().sparseRow().orElseThrow().neighbours(),
                "the saved row is kept");
    }

    @Test
    void theMeterSubscribesToItsOwnPerMeterKeySets() {
        assertTrue(me.agent.subscriptions().contains(Topics.meterKeySetsFilter(GROUP, ME)));
        assertTrue(me.agent.subscriptions().stream().noneMatch(f -> f.endsWith("/keyset/+")), "never to other meters' sets");
    }

    @Test
    void anUnsignedPerMeterKeySetIsRefused() {
        h.announce(1);
        me.agent.onMessage(Topics.meterKeySet(GROUP, 1, ME), h.keySetFor(1, ME).toJson()); // bare JSON, no head-end signature
        assertRefusedThenHonestWorks(TrustRefusal.UNSIGNED);
    }
}
