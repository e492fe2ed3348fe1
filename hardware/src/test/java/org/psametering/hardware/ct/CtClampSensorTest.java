package org.psametering.hardware.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.CtAds1115SensorConfig;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.MockPi4j;
import org.psametering.hardware.MutableClock;
import org.psametering.hardware.SensorException;

class CtClampSensorTest {

    /** SCT-013-000 (100 A : 50 mA) on a 22 ohm burden. */
    private static final double AMPS_PER_VOLT = 2000.0 / 22;
    private static final SamplePacer NO_WAIT = () -> { };

    private Context pi4j;
    private I2C i2c;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T18:00:00Z"));

    @BeforeEach
    void start() {
        pi4j = MockPi4j.context();
        i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id("ads").bus(1).device(0x48));
    }

    @AfterEach
    void stop() {
        pi4j.shutdown();
    }

    private static CtAds1115SensorConfig config(Ads1115Gain gain, Ads1115Channel channel, Ads1115DataRate rate) {
        return new CtAds1115SensorConfig(1, 0x48, gain, channel, rate, AMPS_PER_VOLT, 230, 1.0,
                Duration.ofSeconds(1), 0.05);
    }

    /**
     * Queues a 50 Hz sine of the given primary RMS current into the mock's conversion register, as the ADS1115 would
     * deliver it: big-endian two's complement counts of the burden voltage.
     */
    private void feedSine(double rmsAmps, int offsetCounts, Ads1115Gain gain, int samplesPerSecond, int samples) {
        double amplitudeVolts = rmsAmps / AMPS_PER_VOLT * Math.sqrt(2);
        double countsPerVolt = 32768 / gain.fullScaleVolts();
        byte[] bytes = new byte[2 * samples];
        for (int i = 0; i < samples; i++) {
            double v = amplitudeVolts * Math.sin(2 * Math.PI * 50 * i / samplesPerSecond + 0.3);
            int counts = (int) Math.round(v * countsPerVolt) + offsetCounts;
            bytes[2 * i] = (byte) (counts >> 8);
            bytes[2 * i + 1] = (byte) counts;
        }
        i2c.writeRegister(Ads1115.CONVERSION_REGISTER, bytes);
    }

    private byte[] nextConfigWrite() {
        byte[] b = new byte[2];
        assertEquals(2, i2c.readRegister(Ads1115.CONFIG_REGISTER, b, 0, 2), "expected a 2-byte config write");
        return b;
    }

    @Test
    void sineOfKnownRmsGivesCurrentPowerAndEnergy() throws InterruptedException {
        var config = config(Ads1115Gain.GAIN_1, Ads1115Channel.A0_A1, Ads1115DataRate.SPS_860);
        feedSine(10.0, 0, Ads1115Gain.GAIN_1, 860, 2 * 860);
        CtClampSensor sensor = new CtClampSensor(new Ads1115(i2c), config, clock, NO_WAIT);
        // datasheet layout: MUX=000 (AIN0-AIN1), PGA=001 (±4.096 V), MODE=0 (continuous), DR=111 (860 SPS), COMP_QUE=11
        assertArrayEquals(new byte[] {0x02, (byte) 0xE3}, nextConfigWrite());

        clock.advance(Duration.ofMinutes(30));
        CurrentWindow w = sensor.sampleWindow();
        assertEquals(860, w.samples());
        assertEquals(10.0, w.amps(), 0.05);
        assertEquals(2300, w.watts(), 12);
        clock.advance(Duration.ofMinutes(30));
        sensor.sampleWindow();

        EnergyReading r = sensor.read();
        assertEquals(2300, r.cumulativeWattHours(), 12, "2300 W for an hour, integrated over two windows");
        assertEquals(2300, r.powerWatts().getAsDouble(), 12);
        sensor.close();
        // MODE=1: single-shot, i.e. power-down once the running conversion ends
        assertArrayEquals(new byte[] {0x03, (byte) 0xE3}, nextConfigWrite());
    }

    @Test
    void singleEndedInputWithBiasOffset() throws InterruptedException {
        var config = config(Ads1115Gain.GAIN_TWO_THIRDS, Ads1115Channel.A0, Ads1115DataRate.SPS_128);
        // a CT on a VDD/2 = 1.65 V bias read single-ended at ±6.144 V full scale
        int bias = (int) Math.round(1.65 * 32768 / 6.144);
        feedSine(25.0, bias, Ads1115Gain.GAIN_TWO_THIRDS, 128, 128);
        CtClampSensor sensor = new CtClampSensor(new Ads1115(i2c), config, clock, NO_WAIT);
        // MUX=100 (AIN0-GND), PGA=000, MODE=0, DR=100 (128 SPS), COMP_QUE=11
        assertArrayEquals(new byte[] {0x40, (byte) 0x83}, nextConfigWrite());
        CurrentWindow w = sensor.sampleWindow();
        assertEquals(25.0, w.amps(), 0.25, "the bias is DC, not current");
        sensor.close();
    }

    @Test
    void noiseBelowFloorReadsAsZero() throws InterruptedException {
        var config = config(Ads1115Gain.GAIN_1, Ads1115Channel.A0_A1, Ads1115DataRate.SPS_860);
        feedSine(0.02, 0, Ads1115Gain.GAIN_1, 860, 860);
        CtClampSensor sensor = new CtClampSensor(new Ads1115(i2c), config, clock, NO_WAIT);
        clock.advance(Duration.ofHours(1));
        assertEquals(0, sensor.sampleWindow().watts());
        assertEquals(0, sensor.read().cumulativeMilliWattHours());
        sensor.close();
    }

    @Test
    void shortReadIsASensorError() {
        var config = config(Ads1115Gain.GAIN_1, Ads1115Channel.A0_A1, Ads1115DataRate.SPS_860);
        feedSine(5, 0, Ads1115Gain.GAIN_1, 860, 10); // fewer conversions than a window needs
        CtClampSensor sensor = new CtClampSensor(new Ads1115(i2c), config, clock, NO_WAIT);
        var e = assertThrows(SensorException.class, sensor::sampleWindow);
        assertTrue(e.getMessage().contains("bus 1 address 0x48"), e.getMessage());
        assertTrue(sensor.read().powerWatts().isEmpty(), "no power before a complete window");
        sensor.close();
    }

    @Test
    void closeStopsTheSamplingThread() {
        var config = config(Ads1115Gain.GAIN_1, Ads1115Channel.A0_A1, Ads1115DataRate.SPS_8);
        CtClampSensor sensor = new CtClampSensor(new Ads1115(i2c), config, clock, SamplePacer.fixedRate(8)).start();
        assertTrue(sensor.isSampling());
        sensor.close();
        assertFalse(sensor.isSampling());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ct-ads1115-sampler")),
                "no sampler thread left running");
        assertThrows(IllegalStateException.class, sensor::read);
    }
}
