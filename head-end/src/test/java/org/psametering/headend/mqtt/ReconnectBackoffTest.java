package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    @Test
    void lostLinksDoubleFromOneSecondToThirtyAndResetOnConnect() {
        ReconnectBackoff backoff = new ReconnectBackoff();
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
        for (long delay : expected) {
            assertEquals(delay, backoff.nextBaseMillis(false));
        }
        backoff.connected();
        assertEquals(1_000, backoff.nextBaseMillis(false));
    }

    @Test
    void takeoversWaitAtLeastAMinuteDoublingToTenAndSurviveShortReconnects() {
        ReconnectBackoff backoff = new ReconnectBackoff();
        assertEquals(60_000, backoff.nextBaseMillis(true));
        backoff.connected(); // a link that came up and was taken again must not restart the streak
        assertEquals(120_000, backoff.nextBaseMillis(true));
        for (int i = 0; i < 10; i++) {
            backoff.nextBaseMillis(true);
        }
        assertEquals(600_000, backoff.nextBaseMillis(true));
        backoff.lostForAnotherReason();
        assertEquals(60_000, backoff.nextBaseMillis(true));
    }

    @Test
    void jitterAddsAtMostAFifth() {
        for (int i = 0; i < 100; i++) {
            long delay = ReconnectBackoff.withJitter(10_000);
            assertTrue(delay >= 10_000 && delay <= 12_000, Long.toString(delay));
        }
    }
}
