package org.psametering.hardware.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RmsAccumulatorTest {

    @Test
    void sineRmsIsAmplitudeOverRootTwoWithOffsetRemoved() {
        RmsAccumulator acc = new RmsAccumulator();
        for (int i = 0; i < 1000; i++) { // 20 whole cycles
            acc.add((short) Math.round(12_000 + 10_000 * Math.sin(2 * Math.PI * i / 50)));
        }
        assertEquals(10_000 / Math.sqrt(2), acc.acRmsCounts(), 0.5);
        acc.reset();
        assertEquals(0, acc.acRmsCounts());
        acc.add((short) 100);
        acc.add((short) 100);
        assertEquals(0, acc.acRmsCounts(), "pure DC carries no current");
    }

    @Test
    void integratorAddsPowerTimesTime() {
        EnergyIntegrator e = new EnergyIntegrator();
        e.add(1000, Duration.ofHours(1));
        assertEquals(1_000_000, e.milliWattHours());
        e.add(1, Duration.ofMillis(1800)); // 0.5 mWh
        e.add(1, Duration.ofMillis(1800));
        assertEquals(1_000_001, e.milliWattHours());
        e.add(5000, Duration.ofSeconds(-5));
        assertEquals(1_000_001, e.milliWattHours(), "a clock stepped back adds nothing");
    }
}
