package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StepTrackerTest {

    private static Instant at(long seconds) {
        return Instant.ofEpochSecond(seconds);
    }

    @Test
    void labelIsFloorOfUnixSecondsOverStep() {
        assertEquals(2, StepTracker.label(at(1800), 900));
        assertEquals(1, StepTracker.label(at(1799), 900));
        assertEquals(-1, StepTracker.label(at(-1), 900), "floor, not truncation");
    }

    @Test
    void energyPerStepIsTheCounterDifferenceAtBoundaries() {
        StepTracker tracker = new StepTracker(900, at(900 * 10 + 5), 1000);
        assertFalse(tracker.stepEnded(at(900 * 11 - 1)));
        assertTrue(tracker.stepEnded(at(900 * 11)));

        assertEquals(new StepTracker.StepEnd(10, 250, 0, false), tracker.close(at(900 * 11 + 1), 1250));
        assertEquals(new StepTracker.StepEnd(11, 0, 0, false), tracker.close(at(900 * 12), 1250));
        assertEquals(12, tracker.openLabel());
    }

    @Test
    void missedBoundariesGoToTheStepJustEndedAndAreCounted() {
        StepTracker tracker = new StepTracker(60, at(60 * 5), 0);
        StepTracker.StepEnd end = tracker.close(at(60 * 9 + 30), 400);
        assertEquals(8, end.label());
        assertEquals(400, end.wattHours());
        assertEquals(3, end.skippedSteps());
    }

    @Test
    void counterResetCountsWhatTheCounterShowsNow() {
        StepTracker tracker = new StepTracker(60, at(0), 5000);
        StepTracker.StepEnd end = tracker.close(at(60), 30);
        assertTrue(end.counterReset());
        assertEquals(30, end.wattHours());
        assertEquals(new StepTracker.StepEnd(1, 10, 0, false), tracker.close(at(120), 40));
    }

    @Test
    void clockGoingBackwardsNeverEndsAStep() {
        StepTracker tracker = new StepTracker(60, at(600), 0);
        assertFalse(tracker.stepEnded(at(300)));
        assertThrows(IllegalStateException.class, () -> tracker.close(at(300), 10));
    }
}
