package org.psametering.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.psametering.hardware.ct.Ads1115Channel;
import org.psametering.hardware.ct.Ads1115DataRate;
import org.psametering.hardware.ct.Ads1115Gain;

class SensorConfigsTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static InvalidSensorConfigException bad(Map<String, Object> m) {
        return assertThrows(InvalidSensorConfigException.class, () -> SensorConfigs.fromMap(m));
    }

    @Test
    void missingSectionSelectsSimulatedHousehold() {
        assertInstanceOf(SimulatedSensorConfig.class, SensorConfigs.fromMap(null));
        assertInstanceOf(SimulatedSensorConfig.class, SensorConfigs.fromMap(Map.of()));
    }

    @Test
    void simulatedTakesSeedAndLimits() {
        var c = (SimulatedSensorConfig) SensorConfigs.fromMap(map("type", "simulated", "seed", 42, "maxWatts", "7000",
                "baseLoadWatts", 90.5));
        assertEquals(new SimulatedSensorConfig(42, 90.5, 7000), c);
    }

    @Test
    void s0WithDefaults() {
        var c = (S0SensorConfig) SensorConfigs.fromMap(map("type", "s0", "pin", 17, "impulsesPerKwh", 1000));
        assertEquals(new S0SensorConfig(17, PullResistor.DOWN, 1000, Duration.ofMillis(10), Optional.empty()), c);
        assertTrue(c.pulseIsHigh());
    }

    @Test
    void s0WithAllSettings() {
        var c = (S0SensorConfig) SensorConfigs.fromMap(map("type", "s0", "pin", "27", "impulsesPerKwh", 10000,
                "pull", "up", "debounceMillis", 5, "gpioChip", "gpiochip4"));
        assertEquals(new S0SensorConfig(27, PullResistor.UP, 10000, Duration.ofMillis(5), Optional.of("gpiochip4")), c);
        assertEquals(false, c.pulseIsHigh());
    }

    @Test
    void ctWithRatioAndBurden() {
        var c = (CtAds1115SensorConfig) SensorConfigs.fromMap(map("type", "ct-ads1115", "ctRatio", 2000,
                "burdenOhms", 22, "address", "0x49", "gain", "2", "channel", "a2-a3", "dataRate", 475));
        assertEquals(1, c.bus());
        assertEquals(0x49, c.address());
        assertEquals(Ads1115Gain.GAIN_2, c.gain());
        assertEquals(Ads1115Channel.A2_A3, c.channel());
        assertEquals(Ads1115DataRate.SPS_475, c.dataRate());
        assertEquals(2000.0 / 22, c.ampsPerVolt(), 1e-12);
        assertEquals(230, c.mainsVolts());
        assertEquals(475, c.samplesPerWindow());
    }

    @Test
    void ctWithAmpsPerVolt() {
        var c = (CtAds1115SensorConfig) SensorConfigs.fromMap(map("type", "ct-ads1115", "ampsPerVolt", 30,
                "mainsVolts", 120, "powerFactor", 0.9, "windowMillis", 500));
        assertEquals(30, c.ampsPerVolt());
        assertEquals(120, c.mainsVolts());
        assertEquals(0.9, c.powerFactor());
        assertEquals(430, c.samplesPerWindow());
    }

    @Test
    void csvWithRollover() {
        var c = (CsvReplaySensorConfig) SensorConfigs.fromMap(map("type", "csv", "file", "data/house.csv",
                "timeline", "absolute", "rolloverWh", 1e8));
        assertEquals(Path.of("data/house.csv"), c.file());
        assertEquals(CsvReplaySensorConfig.Timeline.ABSOLUTE, c.timeline());
        assertEquals(1e8, c.rolloverWh().getAsDouble());
    }

    @Test
    void smlWithDefaults() {
        var c = (SmlSensorConfig) SensorConfigs.fromMap(map("type", "sml", "serialPort", "/dev/ttyUSB0"));
        assertEquals(new SmlSensorConfig("/dev/ttyUSB0", 9600, Duration.ofSeconds(10)), c);
    }

    @Test
    void pinOutOfRangeNamesTheSetting() {
        var e = bad(map("type", "s0", "pin", 42, "impulsesPerKwh", 1000));
        assertEquals("sensor.pin: must be a BCM GPIO number 0..27, got 42", e.getMessage());
        assertEquals("sensor.pin", e.setting());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "type=s0,impulsesPerKwh=1000                     | sensor.pin: is required",
            "type=s0,pin=17                                  | sensor.impulsesPerKwh: is required",
            "type=s0,pin=17,impulsesPerKwh=0                 | sensor.impulsesPerKwh: must be 1..1000000",
            "type=s0,pin=x,impulsesPerKwh=1000               | sensor.pin: must be a whole number, got x",
            "type=s0,pin=17,impulsesPerKwh=1000,pull=sideways | sensor.pull: must be one of [down, off, up], got sideways",
            "type=s0,pin=17,impulsesPerKwh=1000,debounceMilis=5 | sensor.debounceMilis: unknown setting for sensor type s0",
            "type=s0,pin=99999999999,impulsesPerKwh=1000     | sensor.pin: must be a BCM GPIO number 0..27",
            "type=ct-ads1115                                 | sensor.ampsPerVolt: calibration is required",
            "type=ct-ads1115,ctRatio=2000                    | sensor.burdenOhms: calibration is required",
            "type=ct-ads1115,ampsPerVolt=30,ctRatio=2000     | sensor.ampsPerVolt: give either",
            "type=ct-ads1115,ampsPerVolt=30,address=0x50     | sensor.address: must be an ADS1115 address 0x48..0x4B, got 0x50",
            "type=ct-ads1115,ampsPerVolt=30,gain=3           | sensor.gain: must be one of 2/3",
            "type=ct-ads1115,ampsPerVolt=30,channel=A4       | sensor.channel: must be one of A0-A1",
            "type=ct-ads1115,ampsPerVolt=30,dataRate=100     | sensor.dataRate: must be one of 8, 16",
            "type=ct-ads1115,ampsPerVolt=30,mainsVolts=10    | sensor.mainsVolts: must be 50..500",
            "type=ct-ads1115,ampsPerVolt=-1                  | sensor.ampsPerVolt: must be > 0",
            "type=ct-ads1115,ampsPerVolt=abc                 | sensor.ampsPerVolt: must be a number, got abc",
            "type=ct-ads1115,ctRatio=2000,burdenOhms=0       | sensor.burdenOhms: must be > 0",
            "type=csv                                        | sensor.file: is required",
            "type=csv,file=a.csv,timeline=later              | sensor.timeline: must be one of [absolute, relative]",
            "type=simulated,maxWatts=50                      | sensor.maxWatts: must be 100..100000 W",
            "type=simulated,baseLoadWatts=20000              | sensor.baseLoadWatts: must be >= 0 and below sensor.maxWatts",
            "type=sml                                        | sensor.serialPort: is required for type sml",
            "type=sml,serialPort=/dev/ttyUSB0,baudRate=9601  | sensor.baudRate: must be one of [300, 600",
            "type=sml,serialPort=/dev/ttyUSB0,timeoutSeconds=1 | sensor.timeoutSeconds: must be 2..300 s, got 1",
            "type=nuclear                                    | sensor.type: must be one of simulated, s0, ct-ads1115, csv, sml, got nuclear",
    })
    void badSettingsAreNamed(String settings, String expectedStart) {
        Map<String, Object> m = new HashMap<>();
        for (String kv : settings.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0], p[1]);
        }
        var e = bad(m);
        assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
    }

    @Test
    void nestedValueIsRejected() {
        var e = bad(map("type", "s0", "pin", Map.of("a", 1), "impulsesPerKwh", 1000));
        assertTrue(e.getMessage().startsWith("sensor.pin: must be a single value"), e.getMessage());
    }
}
