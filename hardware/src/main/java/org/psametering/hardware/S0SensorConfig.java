package org.psametering.hardware;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An S0 pulse output (DIN 43864 / IEC 62053-31) wired to a GPIO input.
 *
 * @param pin            BCM GPIO number of the input
 * @param pull           bias resistor; with {@code down} (S0+ to 3V3, S0- to the pin) a pulse reads high, with {@code up}
 *                       (S0+ to the pin, S0- to GND) a pulse reads low; {@code off} assumes an external pull-down
 * @param impulsesPerKwh the meter's constant, printed on it (e.g. 1000 imp/kWh)
 * @param debounce       edges closer than this to the previous counted pulse are contact bounce, not pulses
 * @param gpioChip       gpiod chip name, empty for Pi4J's default
 */
public record S0SensorConfig(int pin, PullResistor pull, int impulsesPerKwh, Duration debounce, Optional<String> gpioChip)
        implements SensorConfig {

    public static final String TYPE = "s0";
    /** The standard's minimum pulse length is 30 ms, so 10 ms rejects bounce without swallowing real pulses. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(10);

    public S0SensorConfig {
        if (pin < 0 || pin > 27) {
            throw new InvalidSensorConfigException("sensor.pin", "must be a BCM GPIO number 0..27, got " + pin);
        }
        Objects.requireNonNull(pull, "pull");
        if (impulsesPerKwh < 1 || impulsesPerKwh > 1_000_000) {
            throw new InvalidSensorConfigException("sensor.impulsesPerKwh",
                    "must be 1..1000000 (the constant printed on the meter), got " + impulsesPerKwh);
        }
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new InvalidSensorConfigException("sensor.debounceMillis", "must be 0..1000 ms, got " + debounce.toMillis());
        }
        Objects.requireNonNull(gpioChip, "gpioChip");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Whether a pulse drives the input high (the usual pull-down wiring) rather than low. */
    public boolean pulseIsHigh() {
        return pull != PullResistor.UP;
    }
}
