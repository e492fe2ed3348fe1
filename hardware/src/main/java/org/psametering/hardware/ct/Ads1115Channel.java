package org.psametering.hardware.ct;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ADS1115 input multiplexer (config register bits 14:12): differential pairs and single-ended inputs. */
public enum Ads1115Channel {
    A0_A1("A0-A1", 0b000),
    A0_A3("A0-A3", 0b001),
    A1_A3("A1-A3", 0b010),
    A2_A3("A2-A3", 0b011),
    A0("A0", 0b100),
    A1("A1", 0b101),
    A2("A2", 0b110),
    A3("A3", 0b111);

    private final String yamlName;
    private final int muxBits;

    Ads1115Channel(String yamlName, int muxBits) {
        this.yamlName = yamlName;
        this.muxBits = muxBits;
    }

    public String yamlName() {
        return yamlName;
    }

    public int muxBits() {
        return muxBits;
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static Ads1115Channel fromYamlName(String name) {
        for (Ads1115Channel c : values()) {
            if (c.yamlName.equalsIgnoreCase(name.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values())
                .map(Ads1115Channel::yamlName).collect(Collectors.joining(", ")) + ", got " + name);
    }
}
