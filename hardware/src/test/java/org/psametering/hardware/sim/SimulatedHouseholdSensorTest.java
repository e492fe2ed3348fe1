package org.psametering.hardware.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.MutableClock;
import org.psametering.hardware.Sensors;
import org.psametering.hardware.SimulatedSensorConfig;

class SimulatedHouseholdSensorTest {

    private static final Instant START = Instant.parse("2025-03-03T00:00:00Z");

    private static long[] quarterHours(long seed, int steps, int readsPerStep) {
        MutableClock clock = new MutableClock(START);
        long[] out = new long[steps];
        try (EnergySensor s = Sensors.open(new SimulatedSensorConfig(seed, 150, 11_000), clock)) {
            long previous = s.read().cumulativeMilliWattHours();
            for (int i = 0; i < steps; i++) {
                for (int r = 0; r < readsPerStep; r++) {
                    clock.advance(Duration.ofMinutes(15).dividedBy(readsPerStep));
                    s.read();
                }
                long now = s.read().cumulativeMilliWattHours();
                out[i] = now - previous;
                previous = now;
            }
        }
        return out;
    }

    @Test
    void energyIsTheProfileIntegral() {
        var config = new SimulatedSensorConfig(9, 150, 11_000);
        var profile = new HouseholdLoadProfile(config, ZoneOffset.UTC);
        MutableClock clock = new MutableClock(START);
        try (EnergySensor s = new SimulatedHouseholdSensor(profile, clock)) {
            clock.advance(Duration.ofMinutes(90));
            double expected = 0;
            for (long m = START.getEpochSecond() / 60; m < START.getEpochSecond() / 60 + 90; m++) {
                expected += profile.powerWatts(m) / 60 * 1000; // mWh per minute
            }
            assertEquals(expected, s.read().cumulativeMilliWattHours(), 1.0);
        }
    }

    @Test
    void seriesDependsOnSeedNotOnReadFrequency() {
        long[] a = quarterHours(4, 96, 1);
        assertArrayEqualsWithin(a, quarterHours(4, 96, 3), 1);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(quarterHours(5, 96, 1)));
    }

    private static void assertArrayEqualsWithin(long[] expected, long[] actual, long tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            // rounding to whole mWh at each read may shift a single mWh between steps
            assertEquals(expected[i], actual[i], tolerance, "step " + i);
        }
    }

    @Test
    void closedSensorRejectsReads() {
        EnergySensor s = Sensors.open(SimulatedSensorConfig.withSeed(1), new MutableClock(START));
        s.close();
        assertThrows(IllegalStateException.class, s::read);
    }
}
