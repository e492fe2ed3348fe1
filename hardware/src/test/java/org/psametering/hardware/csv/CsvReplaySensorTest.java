package org.psametering.hardware.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.hardware.CsvReplaySensorConfig;
import org.psametering.hardware.CsvReplaySensorConfig.Timeline;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.MutableClock;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.Sensors;

class CsvReplaySensorTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("readings.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void energyRegisterReplaysRelativeToOpening() throws IOException {
        Path f = file("""
                # household 7, exported from the utility portal
                timestamp,energy_wh
                2024-01-15T07:00:00Z,1000.0
                2024-01-15T07:15:00Z,1100.0
                2024-01-15T07:30:00+00:00,1400.0
                """);
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        try (EnergySensor s = Sensors.open(new CsvReplaySensorConfig(f, Timeline.RELATIVE, OptionalDouble.empty()), clock)) {
            assertEquals(0, s.read().cumulativeMilliWattHours());
            assertEquals(400, s.read().powerWatts().getAsDouble(), 1e-9, "100 Wh in 15 min");
            clock.advance(Duration.ofMinutes(15));
            assertEquals(100_000, s.read().cumulativeMilliWattHours());
            clock.advance(Duration.ofMinutes(5));
            EnergyReading r = s.read();
            assertEquals(200_000, r.cumulativeMilliWattHours(), "linear within the 300 Wh quarter hour");
            assertEquals(1200, r.powerWatts().getAsDouble(), 1e-9);
            clock.advance(Duration.ofHours(2));
            assertEquals(400_000, s.read().cumulativeMilliWattHours(), "flat after the recording ends");
            assertTrue(s.read().powerWatts().isEmpty());
        }
    }

    @Test
    void powerFileIntegratesOnAbsoluteTimeline() throws IOException {
        Path f = file("""
                timestamp,power_w
                1700000000,600
                1700000600,1200
                1700001200,0
                """);
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1700000300));
        try (EnergySensor s = Sensors.open(new CsvReplaySensorConfig(f, Timeline.ABSOLUTE, OptionalDouble.empty()), clock)) {
            clock.advance(Duration.ofSeconds(600)); // 300 s at 600 W + 300 s at 1200 W = 150 Wh
            assertEquals(150_000, s.read().cumulativeMilliWattHours());
            assertEquals(1200, s.read().powerWatts().getAsDouble(), 1e-9);
        }
    }

    @Test
    void registerRolloverIsUnwrapped() throws IOException {
        Path f = file("""
                timestamp,energy_wh
                2024-01-15T00:00:00Z,99999900
                2024-01-15T01:00:00Z,99999950
                2024-01-15T02:00:00Z,50
                """);
        MutableClock clock = new MutableClock(Instant.parse("2024-01-15T00:00:00Z"));
        var config = new CsvReplaySensorConfig(f, Timeline.RELATIVE, OptionalDouble.of(100_000_000));
        try (EnergySensor s = Sensors.open(config, clock)) {
            clock.advance(Duration.ofHours(2));
            assertEquals(150_000, s.read().cumulativeMilliWattHours(), "50 Wh + 100 Wh across the wrap");
        }
        var noRollover = new CsvReplaySensorConfig(f, Timeline.RELATIVE, OptionalDouble.empty());
        var e = assertThrows(SensorException.class, () -> Sensors.open(noRollover, clock));
        assertTrue(e.getMessage().contains("set sensor.rolloverWh"), e.getMessage());
    }

    @Test
    void badFilesNameFileAndLine() throws IOException {
        assertError("timestamp,kwh\n1,2\n", "line 1: header must be");
        assertError("timestamp,power_w\n1700000000,5\nyesterday,6\n", "line 3: timestamp must be ISO-8601");
        assertError("timestamp,power_w\n1700000000,5\n1700000000,6\n", "line 3: timestamp 2023-11-14T22:13:20Z is not after");
        assertError("timestamp,power_w\n1700000000,-5\n1700000600,6\n", "line 2: value must be a finite number >= 0");
        assertError("timestamp,power_w\n1700000000,5,7\n", "line 2: expected 2 columns");
        assertError("timestamp,power_w\n1700000000,5\n", "at least two readings");
        var missing = new CsvReplaySensorConfig(dir.resolve("nope.csv"), Timeline.RELATIVE, OptionalDouble.empty());
        var e = assertThrows(SensorException.class, () -> Sensors.open(missing, new MutableClock(Instant.EPOCH)));
        assertTrue(e.getMessage().startsWith("sensor.file: cannot read"), e.getMessage());
    }

    private void assertError(String content, String expected) throws IOException {
        Path f = file(content);
        var e = assertThrows(SensorException.class, () -> CsvReadings.load(f, OptionalDouble.empty()));
        assertTrue(e.getMessage().startsWith("sensor.file: " + f) && e.getMessage().contains(expected), e.getMessage());
    }
}
