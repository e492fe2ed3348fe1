package org.psametering.hardware.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PulseCounterTest {

    private static final long MS = 1_000_000;

    @Test
    void edgesInsideDebounceAreBounces() {
        PulseCounter c = new PulseCounter(10 * MS);
        assertTrue(c.onPulseEdge(0));
        assertFalse(c.onPulseEdge(2 * MS));
        assertFalse(c.onPulseEdge(9 * MS));
        assertTrue(c.onPulseEdge(10 * MS));
        assertEquals(2, c.pulses());
        assertEquals(2, c.bounces());
    }

    @Test
    void debounceSurvivesNanoTimeWrap() {
        PulseCounter c = new PulseCounter(10 * MS);
        long t = Long.MAX_VALUE - 3 * MS;
        assertTrue(c.onPulseEdge(t));
        assertFalse(c.onPulseEdge(t + 5 * MS), "5 ms after, across the wrap: bounce");
        assertTrue(c.onPulseEdge(t + 50 * MS), "50 ms after, across the wrap: a pulse");
        assertEquals(2, c.pulses());
        assertEquals(50 * MS, c.snapshot().lastIntervalNanos());
    }
}
