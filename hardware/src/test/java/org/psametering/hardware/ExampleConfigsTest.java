package org.psametering.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.ct.Ads1115Gain;

/** The shipped config/meter-*.yaml examples must stay valid: installers copy them. */
class ExampleConfigsTest {

    private static final Path REPO = Path.of("..");

    @SuppressWarnings("unchecked")
    private static SensorConfig sensorOf(String file) throws IOException {
        Map<String, Object> root = new YAMLMapper().readValue(Files.readString(REPO.resolve("config").resolve(file)),
                new TypeReference<Map<String, Object>>() { });
        assertTrue(root.keySet().containsAll(java.util.List.of("meter", "mqtt", "group", "sensor")), file + ": " + root.keySet());
        return SensorConfigs.fromMap((Map<String, Object>) root.get("sensor"));
    }

    @Test
    void s0Example() throws IOException {
        var c = (S0SensorConfig) sensorOf("meter-s0.yaml");
        assertEquals(17, c.pin());
        assertEquals(1000, c.impulsesPerKwh());
    }

    @Test
    void ctExample() throws IOException {
        var c = (CtAds1115SensorConfig) sensorOf("meter-ct.yaml");
        assertEquals(0x48, c.address());
        assertEquals(Ads1115Gain.GAIN_2, c.gain());
        assertEquals(2000.0 / 22, c.ampsPerVolt(), 1e-9);
        // the documented headroom claim: 100 A RMS peaks fit the chosen full-scale range
        double peakVolts = 100 / c.ampsPerVolt() * Math.sqrt(2);
        assertTrue(peakVolts < c.gain().fullScaleVolts(), "peak " + peakVolts + " V");
    }

    @Test
    void csvExampleReplaysTheSampleFile() throws IOException {
        var c = (CsvReplaySensorConfig) sensorOf("meter-csv.yaml");
        var resolved = new CsvReplaySensorConfig(REPO.resolve(c.file()), c.timeline(), c.rolloverWh());
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (EnergySensor s = Sensors.open(resolved, clock)) {
            clock.advance(java.time.Duration.ofDays(2));
            // the sample's register runs from 48213.0 Wh to 65456.3 Wh
            assertEquals(65_456_300 - 48_213_000, s.read().cumulativeMilliWattHours(), 1);
        }
    }
}
