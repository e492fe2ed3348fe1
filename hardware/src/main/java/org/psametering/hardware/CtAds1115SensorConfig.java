package org.psametering.hardware;

import java.time.Duration;
import java.util.Objects;
import org.psametering.hardware.ct.Ads1115Channel;
import org.psametering.hardware.ct.Ads1115DataRate;
import org.psametering.hardware.ct.Ads1115Gain;

/**
 * A current-transformer clamp (e.g. SCT-013) read through an ADS1115 ADC on I2C.
 *
 * @param bus            I2C bus number ({@code /dev/i2c-N}; 1 on the Pi's header)
 * @param address        7-bit I2C address, 0x48..0x4B depending on the ADDR pin
 * @param gain           PGA setting; pick the smallest range that holds the burden voltage's peaks
 * @param channel        input multiplexer setting
 * @param dataRate       conversions per second; 860 gives ~17 samples per 50 Hz cycle
 * @param ampsPerVolt    primary amps per volt across the burden (CT ratio / burden ohms, or the clamp's rating for
 *                       voltage-output clamps such as SCT-013-030: 30 A/V)
 * @param mainsVolts     assumed RMS mains voltage (the clamp measures current only)
 * @param powerFactor    assumed power factor, 1.0 reports apparent power
 * @param window         sampling window per RMS value; whole mains cycles keep the estimate unbiased
 * @param noiseFloorAmps RMS currents below this are reported as zero (ADC and pick-up noise with no load)
 */
public record CtAds1115SensorConfig(int bus, int address, Ads1115Gain gain, Ads1115Channel channel,
                                    Ads1115DataRate dataRate, double ampsPerVolt, double mainsVolts, double powerFactor,
                                    Duration window, double noiseFloorAmps) implements SensorConfig {

    public static final String TYPE = "ct-ads1115";

    public CtAds1115SensorConfig {
        if (bus < 0 || bus > 31) {
            throw new InvalidSensorConfigException("sensor.bus", "must be an I2C bus number 0..31, got " + bus);
        }
        if (address < 0x48 || address > 0x4B) {
            throw new InvalidSensorConfigException("sensor.address",
                    "must be an ADS1115 address 0x48..0x4B, got 0x" + Integer.toHexString(address));
        }
        Objects.requireNonNull(gain, "gain");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(dataRate, "dataRate");
        if (!(ampsPerVolt > 0 && ampsPerVolt <= 100_000)) {
            throw new InvalidSensorConfigException("sensor.ampsPerVolt", "must be > 0, got " + ampsPerVolt);
        }
        if (!(mainsVolts >= 50 && mainsVolts <= 500)) {
            throw new InvalidSensorConfigException("sensor.mainsVolts", "must be 50..500 V RMS, got " + mainsVolts);
        }
        if (!(powerFactor > 0 && powerFactor <= 1)) {
            throw new InvalidSensorConfigException("sensor.powerFactor", "must be in (0, 1], got " + powerFactor);
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofMillis(100)) < 0 || window.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new InvalidSensorConfigException("sensor.windowMillis", "must be 100..60000 ms, got " + window.toMillis());
        }
        if (!(noiseFloorAmps >= 0 && noiseFloorAmps < 100)) {
            throw new InvalidSensorConfigException("sensor.noiseFloorAmps", "must be 0..100 A, got " + noiseFloorAmps);
        }
    }

    /** Calibration of a current-output CT: the secondary current (primary / ratio) develops ampsPerVolt across the burden. */
    public static double ampsPerVolt(double ctRatio, double burdenOhms) {
        if (!(ctRatio > 0 && Double.isFinite(ctRatio))) {
            throw new InvalidSensorConfigException("sensor.ctRatio", "must be > 0 (e.g. 2000 for a 100 A:50 mA clamp), got " + ctRatio);
        }
        if (!(burdenOhms > 0 && Double.isFinite(burdenOhms))) {
            throw new InvalidSensorConfigException("sensor.burdenOhms", "must be > 0, got " + burdenOhms);
        }
        return ctRatio / burdenOhms;
    }

    /** Samples per RMS window at the configured data rate. */
    public int samplesPerWindow() {
        return (int) Math.max(16, dataRate.samplesPerSecond() * window.toMillis() / 1000);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
