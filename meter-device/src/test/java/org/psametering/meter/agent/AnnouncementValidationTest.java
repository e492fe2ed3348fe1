package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochPhase;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.Topics;

/**
 * Issue 8 defect 3: a meter validates an announcement completely before acting on it, and an epoch that never
 * completes cannot block a later real one. Holds without a broker ACL: the bogus messages here are what anyone could
 * publish on the retained announce topic.
 */
class AnnouncementValidationTest {

    private static final String GROUP = GroupHarness.GROUP;

    private final GroupHarness h = new GroupHarness(List.of("m1", "m2"));
    private final GroupHarness.Member m1 = h.member("m1");

    private byte[] headEndKey() {
        return Encodings.encode(AgreementKeyPair.generate(h.random).publicKey());
    }

    private GroupAnnouncement keySetup(long epoch, List<String> members, byte[] headEndKey) {
        return new GroupAnnouncement(GROUP, epoch, GroupHarness.PARAMS.name(), GroupHarness.STEP, members, headEndKey,
                GroupPhase.KEY_SETUP, OptionalLong.empty());
    }

    private void send(GroupAnnouncement a) {
        m1.agent.onMessage(Topics.announce(GROUP), TestTrust.signed(Topics.announce(GROUP), a.toJson()));
    }

    private int publicKeysSent() {
        return m1.outbound.on("/pubkey/").size();
    }

    /** After a refusal nothing was generated, saved or published, and the meter still joins the real epoch. */
    private void assertRefusedThenRealEpochWorks(long realEpoch, int pubKeysBefore) {
        assertEquals(pubKeysBefore, publicKeysSent(), "a refused announcement publishes nothing");
        long from = h.setUpEpoch(realEpoch);
        h.tickAll();
        h.step(0, 0);
        h.step(3, 4);
        Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(realEpoch);
        assertEquals(3 + 4, h.aggregate(realEpoch, from, cts.get(from)), "the real epoch " + realEpoch + " works");
    }

    @Test
    void aHeadEndKeyThatIsNotX25519IsRefused() {
        send(keySetup(1, List.of("m1", "m2"), new byte[] {1, 2}));
        assertTrue(m1.agent.state().epochs().isEmpty(), "nothing saved");
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.BAD_HEAD_END_KEY));
        assertEquals(1, m1.agent.stats().rejectedMessages());
        assertRefusedThenRealEpochWorks(1, 0);
    }

    @Test
    void tooManyMembersAreRefused() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 100_004; i++) {
            members.add(String.format("a%06d", i));
        }
        members.add("m1");
        send(keySetup(1, members, headEndKey()));
        assertTrue(m1.agent.state().epochs().isEmpty());
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.TOO_MANY_MEMBERS));
        assertRefusedThenRealEpochWorks(1, 0);
    }

    @Test
    void theConfiguredMemberMaximumApplies() {
        m1.agent = new MeterAgent(new MeterAgent.Setup("m1", GROUP, m1.store, new org.psametering.meter.outbox.Outbox(10,
                org.psametering.meter.outbox.OutboxStore.NONE), m1.outbound, m1.sensor, h.clock, Runnable::run, h.listener, h.random,
                new AnnouncementLimits(1, 16), new org.psametering.crypto.recovery.RecoveryPolicy(MeterAgent.Setup.DEFAULT_MIN_REPORTING),
                TestTrust.meter("m1", h.clock)));
        send(keySetup(1, List.of("m1", "m2"), headEndKey()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.TOO_MANY_MEMBERS));
        assertTrue(m1.agent.state().epochs().isEmpty());
    }

    @Test
    void anAnnouncementWithoutThisMeterIsCounted() {
        send(keySetup(1, List.of("m2"), headEndKey()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.NOT_A_MEMBER));
        assertTrue(m1.agent.state().epochs().isEmpty());
    }

    @Test
    void anUnknownParameterSetIsRefused() {
        send(new GroupAnnouncement(GROUP, 1, "no-such-params", 900, List.of("m1", "m2"), headEndKey(), GroupPhase.KEY_SETUP,
                OptionalLong.empty()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.UNKNOWN_PARAMS));
        assertTrue(m1.agent.state().epochs().isEmpty());
    }

    @Test
    void epochMaxValueNeverPinsAFreshMeter() {
        send(keySetup(Long.MAX_VALUE, List.of("m1", "m2"), headEndKey())); // a pending setup that never completes
        assertEquals(1, publicKeysSent());
        assertRefusedThenRealEpochWorks(1, 1);
        assertTrue(m1.agent.state().epoch(Long.MAX_VALUE).isEmpty(), "superseded by the real epoch");
    }

    @Test
    void epochMaxValueIsRefusedOnceAnEpochIsActive() {
        h.setUpEpoch(1);
        int before = publicKeysSent();
        send(keySetup(Long.MAX_VALUE, List.of("m1", "m2"), headEndKey()));
        send(keySetup(1 + 17, List.of("m1", "m2"), headEndKey()));
        assertEquals(2, m1.agent.stats().refused(AnnouncementRefusal.EPOCH_TOO_FAR));
        send(keySetup(1, List.of("m1", "m2"), headEndKey()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.CHANGED_WITHOUT_NEW_EPOCH));
        send(keySetup(0, List.of("m1", "m2"), headEndKey()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.STALE_EPOCH));
        send(keySetup(7, List.of("m1", "m2"), headEndKey()).activate(h.currentLabel() + 1));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.ACTIVE_WITHOUT_KEYS));
        assertEquals(before, publicKeysSent());
        assertEquals(List.of(1L), m1.agent.state().epochs().stream().map(e -> e.epoch()).toList());
        assertRefusedThenRealEpochWorks(2, before);
    }

    @Test
    void aBogusHigherPendingEpochDoesNotBlockOrDestroyTheRealOne() {
        h.setUpEpoch(1);
        send(keySetup(1 + 16, List.of("m1", "m2"), headEndKey())); // within reach: joined, but never completes
        assertEquals(EpochPhase.KEY_SETUP, m1.agent.state().epoch(17).orElseThrow().phase());
        assertRefusedThenRealEpochWorks(2, publicKeysSent());
        assertTrue(m1.agent.state().epoch(17).isEmpty(), "dropped when the real, lower epoch was announced");
    }

    @Test
    void aBogusAnnouncementDuringARealKeySetupKeepsTheRealKeys() {
        h.setUpEpoch(1);
        // the real epoch 2 starts; a bogus epoch 5 arrives before its key set: epoch 2 must still complete
        byte[] realKey = headEndKey();
        send(keySetup(2, List.of("m1", "m2"), realKey));
        long realPhaseKeys = m1.agent.state().epoch(2).orElseThrow().keys().hashCode();
        send(keySetup(5, List.of("m1", "m2"), headEndKey()));
        assertEquals(realPhaseKeys, m1.agent.state().epoch(2).orElseThrow().keys().hashCode(), "keys of epoch 2 kept");
        assertTrue(m1.agent.state().epoch(5).isPresent());
    }

    @Test
    void anActiveFromLabelBeyondAnyClockIsRefused() {
        send(keySetup(1, List.of("m1", "m2"), headEndKey()));
        GroupAnnouncement a = m1.agent.state().epoch(1).map(e -> keySetup(1, List.of("m1", "m2"), e.headEndPublicKey())).orElseThrow();
        send(a.activate(Long.MAX_VALUE / 100));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.BAD_ACTIVE_FROM));
        assertFalse(m1.agent.state().epoch(1).orElseThrow().isActive());
    }

    @Test
    void aForgedKeySetupOfTheNextEpochNumberDoesNotBlockTheRealOne() {
        h.setUpEpoch(1);
        send(keySetup(2, List.of("m1", "m2"), headEndKey())); // forged first, same number as the coming real epoch
        assertRefusedThenRealEpochWorks(2, publicKeysSent());
        assertEquals(0, m1.agent.stats().refused(AnnouncementRefusal.CHANGED_WITHOUT_NEW_EPOCH));
    }

    @Test
    void onceItsBlindedKeyIsOutAnEpochNoLongerChanges() {
        h.setUpEpoch(1);
        byte[] realKey = m1.agent.state().epoch(1).orElseThrow().headEndPublicKey();
        send(keySetup(1, List.of("m1", "m2"), headEndKey()));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.CHANGED_WITHOUT_NEW_EPOCH));
        org.junit.jupiter.api.Assertions.assertArrayEquals(realKey, m1.agent.state().epoch(1).orElseThrow().headEndPublicKey());
    }

    @Test
    void aForgedActiveBeforeTheKeySetIsRefused() {
        send(keySetup(Long.MAX_VALUE, List.of("m1", "m2"), headEndKey()));
        byte[] key = m1.agent.state().epoch(Long.MAX_VALUE).orElseThrow().headEndPublicKey();
        send(keySetup(Long.MAX_VALUE, List.of("m1", "m2"), key).activate(h.currentLabel() + 1));
        assertEquals(1, m1.agent.stats().refused(AnnouncementRefusal.ACTIVE_BEFORE_BLINDED_KEY));
        assertFalse(m1.agent.state().epoch(Long.MAX_VALUE).orElseThrow().isActive(), "epoch 2^63-1 never pins the meter");
        assertRefusedThenRealEpochWorks(1, publicKeysSent());
    }

    @Test
    void hugeIdsInTopicsAreNotEchoedInFull() {
        String topic = "psa/v1/" + "x".repeat(60_000) + "/announce";
        m1.agent.onMessage(topic, new byte[] {1});
        assertEquals(1, m1.agent.stats().rejectedMessages());
        assertTrue(LogText.cut(topic).length() < 200);
    }
}
