package org.psametering.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeterMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MeterMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void badConfigurationExitsWithCode2AndNamesTheSetting(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("meter.yaml"), "meter: {id: m1, dataDir: d}\nmqtt: {broker: 'nope'}\ngroup: {id: g}\n");
        assertEquals(2, run("--config", config.toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("mqtt.broker") && message.contains(config.toString()), message);
    }

    @Test
    void commandLineOverridesTheFile(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("meter.yaml"), "meter: {id: m1, dataDir: d}\nmqtt: {broker: 'nope'}\ngroup: {id: g}\n");
        assertEquals(2, run("--config", config.toString(), "--broker", "tcp://localhost:1", "--meter-id", "bad id"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("meter.id"), "the broker override fixed mqtt.broker");
    }

    @Test
    void sensorTestNeedsOnlyTheSensorSettings(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("meter.yaml"), "sensor: {type: simulated, maxWatts: 5}\n");
        assertEquals(2, run("--config", config.toString(), "--sensor-test", "--sensor-test-readings", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sensor.maxWatts"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sensorTestPrintsReadingsAndExits() {
        int code = run("--sensor-test", "--sensor-test-readings", "3"); // no config: the simulated household
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        long readings = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).count();
        assertEquals(3, readings);
    }
}
