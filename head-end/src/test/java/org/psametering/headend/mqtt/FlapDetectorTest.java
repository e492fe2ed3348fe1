package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlapDetectorTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void threeLinksInARowThatDieRightAfterConnectingAreFlapping() {
        FlapDetector flaps = new FlapDetector();
        long now = 100 * SECOND;
        for (int i = 1; i < FlapDetector.LIMIT; i++) {
            flaps.up(now);
            now += SECOND;
            assertEquals(FlapDetector.Verdict.SHORT_LIVED, flaps.lost(now));
        }
        flaps.up(now);
        assertEquals(FlapDetector.Verdict.FLAPPING, flaps.lost(now + SECOND));
    }

    @Test
    void aLinkThatHeldBreaksTheRun() {
        FlapDetector flaps = new FlapDetector();
        long now = 100 * SECOND;
        flaps.up(now);
        assertEquals(FlapDetector.Verdict.SHORT_LIVED, flaps.lost(now + SECOND));
        flaps.up(now + 2 * SECOND);
        assertEquals(FlapDetector.Verdict.LONG_LIVED, flaps.lost(now + 2 * SECOND + FlapDetector.WINDOW_NANOS));
        flaps.up(now + 100 * SECOND);
        assertEquals(FlapDetector.Verdict.SHORT_LIVED, flaps.lost(now + 101 * SECOND));
    }

    /** A broker killed and restarted: the attempt that found it away shows it was not a takeover. */
    @Test
    void aFailedConnectionAttemptBreaksTheRun() {
        FlapDetector flaps = new FlapDetector();
        long now = 100 * SECOND;
        for (int i = 0; i < 2 * FlapDetector.LIMIT; i++) {
            flaps.up(now);
            now += SECOND;
            assertEquals(FlapDetector.Verdict.SHORT_LIVED, flaps.lost(now));
            flaps.connectFailed();
        }
    }

    @Test
    void afterASuspectedTakeoverTheNextShortLinkIsATakeoverAtOnce() {
        FlapDetector flaps = new FlapDetector();
        long now = 100 * SECOND;
        for (int i = 0; i < FlapDetector.LIMIT; i++) {
            flaps.up(now);
            now += SECOND;
            flaps.lost(now);
        }
        flaps.up(now + 60 * SECOND);
        assertEquals(FlapDetector.Verdict.FLAPPING, flaps.lost(now + 61 * SECOND));
        flaps.up(now + 200 * SECOND);
        assertEquals(FlapDetector.Verdict.LONG_LIVED, flaps.lost(now + 300 * SECOND), "a link that held ends the suspicion");
        flaps.up(now + 400 * SECOND);
        assertEquals(FlapDetector.Verdict.SHORT_LIVED, flaps.lost(now + 401 * SECOND));
    }
}
