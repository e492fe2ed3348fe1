package org.psametering.hardware.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PulseEnergyTest {

    @Test
    void pulsesToMilliWattHours() {
        assertEquals(1_000, PulseEnergy.milliWattHours(1, 1000), "1000 imp/kWh: one pulse is 1 Wh");
        assertEquals(1_000_000, PulseEnergy.milliWattHours(800, 800));
        assertEquals(1_250, PulseEnergy.milliWattHours(1, 800), "800 imp/kWh: 1.25 Wh per pulse");
        assertEquals(100, PulseEnergy.milliWattHours(1, 10_000));
        assertEquals(333, PulseEnergy.milliWattHours(1, 3000), "rounded down");
        assertEquals(0, PulseEnergy.milliWattHours(0, 1000));
    }

    @Test
    void largeCountsDoNotOverflow() {
        long pulses = 9_000_000_000_000L; // 9e12 pulses at 10000 imp/kWh = 9e8 kWh
        assertEquals(900_000_000L * 1_000_000L, PulseEnergy.milliWattHours(pulses, 10_000));
        assertThrows(ArithmeticException.class, () -> PulseEnergy.milliWattHours(Long.MAX_VALUE, 1));
    }

    @Test
    void powerFromPulseInterval() {
        // 1000 imp/kWh, one pulse per 3.6 s = 1 Wh per 3.6 s = 1000 W
        var s = new PulseCounter.Snapshot(5, 0, 3_600_000_000L);
        assertEquals(1000, PulseEnergy.powerWatts(s, 1_000_000_000L, 1000).getAsDouble(), 1e-9);
        // 36 s since the last pulse: load has dropped to at most 100 W
        assertEquals(100, PulseEnergy.powerWatts(s, 36_000_000_000L, 1000).getAsDouble(), 1e-9);
        assertTrue(PulseEnergy.powerWatts(new PulseCounter.Snapshot(1, 0, -1), 5, 1000).isEmpty());
    }
}
