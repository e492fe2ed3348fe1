package org.psametering.hardware;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.ct.Ads1115Channel;
import org.psametering.hardware.ct.Ads1115DataRate;
import org.psametering.hardware.ct.Ads1115Gain;

/** Off a Pi, opening real hardware must fail with a clear error rather than hang or fall back to a mock. */
class RealHardwareAbsentTest {

    @Test
    void s0WithoutGpioChipFailsClearly() {
        assumeFalse(Files.exists(Path.of("/dev/gpiochip0")), "this machine has GPIO");
        var config = new S0SensorConfig(17, PullResistor.DOWN, 1000, Duration.ofMillis(10), Optional.empty());
        var e = assertThrows(SensorException.class, () -> Sensors.open(config, new MutableClock(Instant.EPOCH)));
        assertTrue(e.getMessage().startsWith("sensor.pin: cannot open GPIO 17"), e.getMessage());
    }

    @Test
    void ctWithoutI2cBusFailsClearly() {
        assumeFalse(Files.exists(Path.of("/dev/i2c-1")), "this machine has I2C bus 1");
        var config = new CtAds1115SensorConfig(1, 0x48, Ads1115Gain.GAIN_2, Ads1115Channel.A0_A1, Ads1115DataRate.SPS_860,
                30, 230, 1, Duration.ofSeconds(1), 0.05);
        var e = assertThrows(SensorException.class, () -> Sensors.open(config, new MutableClock(Instant.EPOCH)));
        assertTrue(e.getMessage().startsWith("sensor.bus: cannot open I2C bus 1"), e.getMessage());
    }
}
