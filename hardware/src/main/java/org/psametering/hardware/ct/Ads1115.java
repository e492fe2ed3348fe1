package org.psametering.hardware.ct;

import com.pi4j.io.i2c.I2C;
import java.util.Objects;
import org.psametering.hardware.SensorException;

/**
 * Register access to a TI ADS1115 16-bit ADC over Pi4J I2C.
 *
 * <p>Register map (datasheet SBAS444): pointer 0x00 conversion result, 16-bit two's complement, MSB first;
 * pointer 0x01 config: OS[15] MUX[14:12] PGA[11:9] MODE[8] DR[7:5] COMP_MODE[4] COMP_POL[3] COMP_LAT[2] COMP_QUE[1:0].
 * The driver uses continuous-conversion mode with the comparator disabled, so reading 0x00 always returns the latest
 * conversion and no conversion-ready polling traffic is needed.
 */
public final class Ads1115 {

    public static final int CONVERSION_REGISTER = 0x00;
    public static final int CONFIG_REGISTER = 0x01;

    private static final int MODE_SINGLE_SHOT = 1 << 8;
    private static final int COMPARATOR_DISABLED = 0b11;

    private final I2C i2c;
    private final byte[] conversion = new byte[2];

    public Ads1115(I2C i2c) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
    }

    /** The config register value for continuous conversions (MODE=0, OS=0: OS has no effect in continuous mode). */
    public static int continuousConfig(Ads1115Channel channel, Ads1115Gain gain, Ads1115DataRate rate) {
        return channel.muxBits() << 12 | gain.pgaBits() << 9 | rate.drBits() << 5 | COMPARATOR_DISABLED;
    }

    /** Single-shot mode without a start request: the device finishes the running conversion and powers down. */
    public static int powerDownConfig(int continuousConfig) {
        return continuousConfig | MODE_SINGLE_SHOT;
    }

    public void writeConfig(int config) {
        if (config < 0 || config > 0xFFFF) {
            throw new IllegalArgumentException("config must be 16 bits, got 0x" + Integer.toHexString(config));
        }
        try {
            i2c.writeRegister(CONFIG_REGISTER, new byte[] {(byte) (config >>> 8), (byte) config});
        } catch (RuntimeException e) {
            throw new SensorException("ADS1115 at " + where() + ": writing the config register failed", e);
        }
    }

    /** The latest conversion result in ADC counts. Allocation-free: called up to 860 times a second. */
    public short readConversion() {
        int n;
        try {
            n = i2c.readRegister(CONVERSION_REGISTER, conversion, 0, 2);
        } catch (RuntimeException e) {
            throw new SensorException("ADS1115 at " + where() + ": reading the conversion register failed", e);
        }
        if (n != 2) {
            throw new SensorException("ADS1115 at " + where() + ": conversion register read returned " + n + " bytes, expected 2");
        }
        return (short) ((conversion[0] & 0xFF) << 8 | (conversion[1] & 0xFF));
    }

    public void close() {
        i2c.close();
    }

    private String where() {
        return "bus " + i2c.bus() + " address 0x" + Integer.toHexString(i2c.device());
    }
}
