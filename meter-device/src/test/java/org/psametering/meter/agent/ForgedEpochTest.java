package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochPhase;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.Topics;

/**
 * Announcements of later epochs whose key setup never completes. Since protocol version 2 an unsigned one (what the
 * soak's hostile client sends) is refused outright; a signed one can still come from the head-end itself (announced,
 * then crashed or misbehaving) and the meter joins it. Either way it must not make the meter stop reporting in its
 * active epoch, lose a reading, or keep it from the real next epoch, however many arrive and whenever.
 */
class ForgedEpochTest {

    private static GroupAnnouncement forged(GroupHarness h, long epoch) {
        return new GroupAnnouncement(GroupHarness.GROUP, epoch, h.params.name(), GroupHarness.STEP, List.of("m1", "m2"),
                Encodings.encode(AgreementKeyPair.generate(h.random).publicKey()), GroupPhase.KEY_SETUP, OptionalLong.empty());
    }

    /** Signed by the head-end's identity: it passes the signature check, so the meter joins its key setup. */
    private static void sendForged(GroupHarness h, GroupHarness.Member m, long epoch) {
        m.agent.onMessage(Topics.announce(GroupHarness.GROUP), TestTrust.signed(Topics.announce(GroupHarness.GROUP),
                forged(h, epoch).toJson()));
    }

    @Test
    void anUnsignedForgedAnnouncementIsRefusedAndNotJoined() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        GroupHarness.Member m1 = h.member("m1");
        long from1 = h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        long refusedBefore = m1.agent.stats().trustRefusals().values().stream().mapToLong(Long::longValue).sum();
        m1.agent.onMessage(Topics.announce(GroupHarness.GROUP), forged(h, 12).toJson());
        assertTrue(m1.agent.state().epoch(12).isEmpty(), "an unsigned announcement must not be joined");
        assertEquals(refusedBefore + 1, m1.agent.stats().trustRefusals().values().stream().mapToLong(Long::longValue).sum(),
                "and its refusal is counted");
        h.step(3, 4);
        assertEquals(3 + 4, sum(h, 1, from1), "still reporting in epoch 1");
    }

    private static long sum(GroupHarness h, long epoch, long label) {
        Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(epoch);
        assertEquals(2, cts.get(label).size(), "both meters reported label " + label + " under epoch " + epoch);
        return h.aggregate(epoch, label, cts.get(label));
    }

    @Test
    void aMeterHoldingForgedEpochsKeepsReportingAcrossARestartAndJoinsTheRealNextEpoch(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"), data);
        GroupHarness.Member m1 = h.member("m1");
        long from1 = h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        sendForged(h, m1, 7);
        sendForged(h, m1, 12);
        assertEquals(EpochPhase.KEY_SETUP, m1.agent.state().epoch(12).orElseThrow().phase(), "joined the forged key setup");
        h.step(3, 4);
        assertEquals(3 + 4, sum(h, 1, from1), "still reporting in epoch 1");
        h.start(m1, true); // a restart with the forged epoch in its saved state
        h.redeliverRetained(m1, 1);
        h.tickAll(); // starts tracking the step in progress
        h.step(5, 6);
        assertEquals(5 + 6, sum(h, 1, from1 + 1), "and after the restart");

        long from2 = h.setUpEpoch(2);
        assertTrue(m1.agent.state().epoch(2).orElseThrow().isActive(), "the real next epoch");
        assertTrue(m1.agent.state().epoch(12).isEmpty(), "the forged key setup is gone");
        h.step(1, 1); // from2 - 1: epoch 1
        h.step(8, 9);
        assertEquals(8 + 9, sum(h, 2, from2));
        assertEquals(0, m1.agent.stats().noKey(), "no step went without a key");
    }

    @Test
    void forgedAnnouncementsDuringTheRealKeySetupDoNotCostItsKeys() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        GroupHarness.Member m1 = h.member("m1");
        h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        h.afterAnnounce = () -> { // the real epoch 2 is announced; before its key set come two forged ones
            sendForged(h, m1, 9);
            sendForged(h, m1, 15);
        };
        long from2 = h.setUpEpoch(2);
        assertTrue(m1.agent.state().epoch(2).orElseThrow().isActive(), "epoch 2 completed: " + m1.agent.state());
        h.step(1, 1);
        h.step(2, 5);
        assertEquals(2 + 5, sum(h, 2, from2));
    }

    @Test
    void forgedAnnouncementsDuringTheFirstKeySetupDoNotCostItsKeys() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        GroupHarness.Member m1 = h.member("m1");
        h.afterAnnounce = () -> {
            sendForged(h, m1, 4);
            sendForged(h, m1, 6);
            sendForged(h, m1, Long.MAX_VALUE);
        };
        long from1 = h.setUpEpoch(1);
        assertTrue(m1.agent.state().epoch(1).orElseThrow().isActive(), "epoch 1 completed: " + m1.agent.state());
        h.tickAll();
        h.step(0, 0);
        h.step(2, 3);
        assertEquals(2 + 3, sum(h, 1, from1));
    }
}
