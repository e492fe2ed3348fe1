package org.psametering.hardware.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import java.util.Optional;

/**
 * Pi4J contexts for real hardware, with exactly the providers a sensor needs. Providers are named explicitly rather
 * than auto-detected so that the meter never silently falls back to another provider (e.g. the mock plugin or
 * pigpio, which needs root) when the intended one fails.
 *
 * <p>GPIO goes through the Linux GPIO character device ({@code /dev/gpiochip*}, libgpiod), which works on every Pi
 * model including the Pi 5 (RP1), and I2C through {@code /dev/i2c-N}; both work as an unprivileged user in the
 * {@code gpio} and {@code i2c} groups.
 */
public final class Pi4jContexts {

    private Pi4jContexts() {
    }

    /** @param gpioChip gpiod chip name (e.g. {@code gpiochip0}); empty for Pi4J's default */
    public static Context forGpio(Optional<String> gpioChip) {
        ContextBuilder builder = Pi4J.newContextBuilder().noAutoDetect().add(GpioDDigitalInputProvider.newInstance());
        gpioChip.ifPresent(builder::setGpioChipName);
        return builder.build();
    }

    public static Context forI2c() {
        return Pi4J.newContextBuilder().noAutoDetect().add(LinuxFsI2CProvider.newInstance()).build();
    }
}
