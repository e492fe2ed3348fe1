package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.Ciphertext;

/**
 * Issue 14 defect 1: a re-key that changes the step length. The head-end ends the old epoch at the instant the new one
 * starts (activeFrom(e+1) * stepSeconds(e+1)), so the meter must report every old-unit step that starts before that
 * instant under the old epoch and every new-unit step from it under the new one, and never refuse either silently.
 */
class StepLengthChangeTest {

    @Test
    void fromMinuteToQuarterHourStepsTheMeterKeepsReporting() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        long from1 = h.setUpEpoch(1, 60);
        h.tickAll();
        h.stepOf(60, 0, 0); // ends from1 - 1: not yet active
        h.stepOf(60, 1, 2); // from1
        long from2 = h.setUpEpoch(2, 900);
        long switchSecond = from2 * 900;
        List<Long> oldLabels = new ArrayList<>(List.of(from1));
        while (h.clock.instant().getEpochSecond() < switchSecond) {
            h.stepOf(60, 1, 1);
            oldLabels.add(h.clock.instant().getEpochSecond() / 60 - 1);
        }
        h.stepOf(900, 5, 7); // from2
        h.stepOf(900, 3, 4); // from2 + 1

        Map<Long, Map<Long, List<Ciphertext>>> cts = h.ciphertexts();
        assertEquals(oldLabels, List.copyOf(cts.get(1L).keySet()), "every minute up to the switch, under epoch 1");
        assertEquals(switchSecond / 60 - 1, oldLabels.get(oldLabels.size() - 1));
        assertEquals(1 + 2, h.aggregate(1, from1, cts.get(1L).get(from1)));
        for (long label : oldLabels.subList(1, oldLabels.size())) {
            assertEquals(2, h.aggregate(1, label, cts.get(1L).get(label)));
        }
        assertEquals(List.of(from2, from2 + 1), List.copyOf(cts.get(2L).keySet()), "the meter keeps reporting after the change");
        assertEquals(5 + 7, h.aggregate(2, from2, cts.get(2L).get(from2)));
        assertEquals(3 + 4, h.aggregate(2, from2 + 1, cts.get(2L).get(from2 + 1)));
        for (GroupHarness.Member m : h.members.values()) {
            MeterStats s = m.agent.stats();
            assertEquals(1, s.noKey(), "only the step before epoch 1");
            assertEquals(0, s.labelNotAfterLast());
            assertEquals(0, s.missedSteps());
            assertEquals(oldLabels.size() + 2, s.encrypted());
        }
    }

    @Test
    void fromQuarterHourToMinuteStepsNoStepIsDropped() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        long from1 = h.setUpEpoch(1, 900);
        h.tickAll();
        h.stepOf(900, 0, 0); // from1 - 1: not yet active
        h.stepOf(900, 1, 2); // from1
        h.clock.advance(Duration.ofSeconds(400)); // the re-key happens in the middle of a quarter hour
        h.tickAll();
        long from2 = h.setUpEpoch(2, 60);
        assertTrue((from2 * 60) % 900 != 0, "the switch falls inside quarter hour from1 + 1");
        h.stepOf(60, 3, 4); // reaches the switch: quarter hour from1 + 1 ends early, under epoch 1
        h.stepOf(60, 5, 6); // from2
        h.stepOf(60, 7, 8); // from2 + 1

        Map<Long, Map<Long, List<Ciphertext>>> cts = h.ciphertexts();
        assertEquals(List.of(from1, from1 + 1), List.copyOf(cts.get(1L).keySet()));
        assertEquals(3 + 4, h.aggregate(1, from1 + 1, cts.get(1L).get(from1 + 1)), "the cut quarter hour keeps its energy");
        assertEquals(List.of(from2, from2 + 1), List.copyOf(cts.get(2L).keySet()));
        assertEquals(5 + 6, h.aggregate(2, from2, cts.get(2L).get(from2)));
        assertEquals(7 + 8, h.aggregate(2, from2 + 1, cts.get(2L).get(from2 + 1)));
        for (GroupHarness.Member m : h.members.values()) {
            MeterStats s = m.agent.stats();
            assertEquals(1, s.noKey());
            assertEquals(0, s.labelNotAfterLast());
            assertEquals(0, s.missedSteps());
            assertEquals(4, s.encrypted());
        }
    }

    @Test
    void aMissedSwitchIsCountedNotSilentlySkipped() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        h.setUpEpoch(1, 900);
        h.tickAll();
        h.stepOf(900, 0, 0);
        h.stepOf(900, 1, 2);
        h.clock.advance(Duration.ofSeconds(400));
        h.tickAll();
        long from2 = h.setUpEpoch(2, 60);
        // the meter sleeps through the switch and two more minutes
        h.clock.set(Instant.ofEpochSecond(from2 * 60 + 150));
        h.member("m1").sensor.use(9);
        h.tickAll();
        h.stepOf(60, 1, 1); // from2 + 2

        Map<Long, Map<Long, List<Ciphertext>>> cts = h.ciphertexts();
        assertEquals(List.of(from2 + 2), List.copyOf(cts.get(2L).keySet()));
        MeterStats s = h.member("m1").agent.stats();
        assertEquals(2, s.missedSteps(), "labels from2 and from2 + 1 passed unnoticed and are counted");
        assertEquals(0, s.labelNotAfterLast());
    }

    @Test
    void aRestartAfterTheChangeResumesWithTheNewUnit(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("a", "b"), data);
        h.setUpEpoch(1, 60);
        h.tickAll();
        h.stepOf(60, 0, 0);
        h.stepOf(60, 1, 1);
        long from2 = h.setUpEpoch(2, 900);
        while (h.clock.instant().getEpochSecond() < from2 * 900) {
            h.stepOf(60, 1, 1);
        }
        h.stepOf(900, 2, 2); // from2
        GroupHarness.Member a = h.member("a");
        h.start(a, true);
        h.redeliverRetained(a, 2);
        h.tickAll(); // the restarted meter starts measuring mid-step
        h.stepOf(900, 3, 3); // from2 + 1: only b reports it (a missed the start of the step)
        h.stepOf(900, 4, 5); // from2 + 2
        Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(2L);
        assertEquals(4 + 5, h.aggregate(2, from2 + 2, cts.get(from2 + 2)));
        assertEquals(0, a.agent.stats().labelNotAfterLast());
    }
}
