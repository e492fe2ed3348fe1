package org.psametering.cli.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AcceleratedClockTest {
    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void fifteenMinuteStepInTwoSecondsIsSpeedup450() {
        assertEquals(450.0, AcceleratedClock.speedupFor(Duration.ofMinutes(15), Duration.ofSeconds(2)));
    }

    @Test
    void realDurationIsSimulatedDividedBySpeedup() {
        AcceleratedClock clock = AcceleratedClock.startingAt(ORIGIN, 450.0);
        assertEquals(Duration.ofSeconds(2), clock.realDurationOf(Duration.ofMinutes(15)));
    }

    @Test
    void timeStartsAtOriginAndNeverGoesBack() {
        AcceleratedClock clock = AcceleratedClock.startingAt(ORIGIN, 1000.0);
        Instant first = clock.instant();
        Instant second = clock.instant();
        assertFalse(first.isBefore(ORIGIN));
        assertFalse(second.isBefore(first));
    }

    @Test
    void rejectsSlowdownAndNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AcceleratedClock.startingAt(ORIGIN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> AcceleratedClock.startingAt(ORIGIN, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AcceleratedClock.speedupFor(Duration.ofMinutes(15), Duration.ZERO));
    }
}
