package org.psametering.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SensorProbeTest {

    @Test
    void printsOneLinePerReading() {
        Deque<EnergyReading> readings = new ArrayDeque<>();
        readings.add(new EnergyReading(Instant.parse("2025-01-01T00:00:00Z"), 0, OptionalDouble.empty()));
        readings.add(new EnergyReading(Instant.parse("2025-01-01T00:00:02Z"), 1_234, OptionalDouble.of(2221.2)));
        readings.add(new EnergyReading(Instant.parse("2025-01-01T00:00:04Z"), 2_468, OptionalDouble.of(2221.2)));
        EnergySensor scripted = new EnergySensor() {
            @Override
            public EnergyReading read() {
                return readings.remove();
            }

            @Override
            public void close() {
            }
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long printed = new SensorProbe(scripted, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(Duration.ZERO, 3);
        assertEquals(3, printed);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5, lines.length, "two header lines and three readings");
        assertTrue(lines[2].startsWith("2025-01-01T00:00:00Z") && lines[2].trim().endsWith("-"), lines[2]);
        assertTrue(lines[3].matches("2025-01-01T00:00:02Z +1\\.234 +2221\\.2"), lines[3]);
        assertTrue(lines[4].contains(" 2.468 "), lines[4]);
    }

    @Test
    void stopsWhenInterrupted() {
        EnergySensor sim = Sensors.open(SimulatedSensorConfig.withSeed(2), new MutableClock(Instant.EPOCH));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread.currentThread().interrupt();
        try {
            long printed = new SensorProbe(sim, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(Duration.ofSeconds(1), 0);
            assertEquals(0, printed);
        } finally {
            Thread.interrupted();
            sim.close();
        }
    }
}
