package org.psametering.hardware.ct;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ADS1115 programmable gain amplifier (config register bits 11:9), named by full-scale range.
 * The yaml name is the gain ("2/3", "1", "2", "4", "8", "16"), the convention of most ADS1115 breakout documentation.
 */
public enum Ads1115Gain {
    GAIN_TWO_THIRDS("2/3", 0b000, 6.144),
    GAIN_1("1", 0b001, 4.096),
    GAIN_2("2", 0b010, 2.048),
    GAIN_4("4", 0b011, 1.024),
    GAIN_8("8", 0b100, 0.512),
    GAIN_16("16", 0b101, 0.256);

    private final String yamlName;
    private final int pgaBits;
    private final double fullScaleVolts;

    Ads1115Gain(String yamlName, int pgaBits, double fullScaleVolts) {
        this.yamlName = yamlName;
        this.pgaBits = pgaBits;
        this.fullScaleVolts = fullScaleVolts;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The three PGA bits, not yet shifted into place. */
    public int pgaBits() {
        return pgaBits;
    }

    /** The voltage that a conversion result of +32767 (almost) stands for. */
    public double fullScaleVolts() {
        return fullScaleVolts;
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static Ads1115Gain fromYamlName(String name) {
        for (Ads1115Gain g : values()) {
            if (g.yamlName.equals(name.strip())) {
                return g;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values())
                .map(g -> g.yamlName + " (±" + g.fullScaleVolts + " V)").collect(Collectors.joining(", ")) + ", got " + name);
    }
}
