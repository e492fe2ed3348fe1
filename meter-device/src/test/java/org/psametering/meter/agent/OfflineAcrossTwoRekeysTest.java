package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;

/**
 * Issue 14 defect 8a: one retained announce topic. A meter joins epoch 2 (sends its blinded key) and goes offline;
 * epoch 2 goes ACTIVE and epoch 3's KEY_SETUP replaces it on the group's announce topic before the meter returns.
 * Without the per-epoch announce topic it stays on epoch 1 and every step is WRONG_EPOCH at the head-end.
 */
class OfflineAcrossTwoRekeysTest {

    @Test
    void aMeterBackAfterTwoRekeysUsesTheEpochThatWentActiveWhileItWasAway() {
        for (boolean reversed : new boolean[] {false, true}) { // the broker's order across subscriptions is not defined
            GroupHarness h = new GroupHarness(List.of("m1", "m2"));
            h.setUpEpoch(1);
            h.tickAll();
            h.step(0, 0);
            GroupHarness.Member m1 = h.member("m1");
            h.beforeActive = () -> h.offline.add("m1");
            long from2 = h.setUpEpoch(2); // m1 sent its blinded key, then lost its connection
            h.step(1, 1); // from2 - 1, still epoch 1 (m1 offline: its tick still runs, it is only disconnected)
            h.announceOnly(3, GroupHarness.STEP); // epoch 3 starts: its KEY_SETUP replaces epoch 2's ACTIVE

            h.offline.remove("m1");
            List<Runnable> retained = new ArrayList<>(h.retainedFor(m1));
            if (reversed) {
                Collections.reverse(retained);
            }
            retained.forEach(Runnable::run);
            assertTrue(m1.agent.state().epoch(2).orElseThrow().isActive(), "reversed=" + reversed);
            assertTrue(m1.agent.state().epoch(3).isPresent(), "and it joined epoch 3's key setup");

            h.step(5, 6); // label from2: epoch 2 for both
            Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(2L);
            assertEquals(5 + 6, h.aggregate(2, from2, cts.get(from2)), "reversed=" + reversed);
            assertEquals(0, m1.agent.stats().announcementRefusals().values().stream().mapToLong(Long::longValue).sum(),
                    "nothing refused: " + m1.agent.stats().announcementRefusals());
            assertEquals(0, m1.agent.stats().stepsUnderSupersededEpoch(), "back before epoch 2's first step ended");
        }
    }

    @Test
    void stepsSentUnderTheOldEpochBeforeALateActiveAreCounted() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        GroupHarness.Member m1 = h.member("m1");
        h.beforeActive = () -> h.offline.add("m1");
        long from2 = h.setUpEpoch(2);
        h.step(1, 1); // from2 - 1: epoch 1, fine
        h.step(2, 2); // from2: m1 does not know epoch 2 is active and uses epoch 1
        h.step(3, 3); // from2 + 1: likewise
        assertEquals(List.of(from2 - 1, from2, from2 + 1), List.copyOf(h.ciphertexts().get(1L).keySet()));
        h.offline.remove("m1");
        h.retainedFor(m1).forEach(Runnable::run);
        assertEquals(2, m1.agent.stats().stepsUnderSupersededEpoch(), "labels from2 and from2 + 1 are lost, and counted");
        h.step(4, 4);
        Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(2L);
        assertEquals(8, h.aggregate(2, from2 + 2, cts.get(from2 + 2)), "and it reports under epoch 2 from then on");
    }
}
