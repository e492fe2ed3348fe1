package org.psametering.hardware.ct;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ADS1115 output data rate (config register bits 7:5), in samples per second. */
public enum Ads1115DataRate {
    SPS_8(8, 0b000),
    SPS_16(16, 0b001),
    SPS_32(32, 0b010),
    SPS_64(64, 0b011),
    SPS_128(128, 0b100),
    SPS_250(250, 0b101),
    SPS_475(475, 0b110),
    SPS_860(860, 0b111);

    private final int samplesPerSecond;
    private final int drBits;

    Ads1115DataRate(int samplesPerSecond, int drBits) {
        this.samplesPerSecond = samplesPerSecond;
        this.drBits = drBits;
    }

    public int samplesPerSecond() {
        return samplesPerSecond;
    }

    public int drBits() {
        return drBits;
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static Ads1115DataRate fromSamplesPerSecond(int sps) {
        for (Ads1115DataRate r : values()) {
            if (r.samplesPerSecond == sps) {
                return r;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values())
                .map(r -> Integer.toString(r.samplesPerSecond)).collect(Collectors.joining(", ")) + " samples/s, got " + sps);
    }
}
