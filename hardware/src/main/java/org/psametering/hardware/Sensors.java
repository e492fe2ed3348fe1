package org.psametering.hardware;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import java.time.Clock;
import java.util.Objects;
import org.psametering.hardware.csv.CsvReadings;
import org.psametering.hardware.csv.CsvReplaySensor;
import org.psametering.hardware.ct.Ads1115;
import org.psametering.hardware.ct.CtClampSensor;
import org.psametering.hardware.ct.SamplePacer;
import org.psametering.hardware.pi4j.Pi4jContexts;
import org.psametering.hardware.s0.S0PulseSensor;
import org.psametering.hardware.sim.HouseholdLoadProfile;
import org.psametering.hardware.sml.SerialPorts;
import org.psametering.hardware.sim.SimulatedHouseholdSensor;

/** Opens the sensor a {@link SensorConfig} describes. */
public final class Sensors {

    private Sensors() {
    }

    /**
     * Opens a sensor; for hardware types this creates (and on close shuts down) a Pi4J context with the gpiod
     * or linuxfs I2C provider.
     *
     * @param clock stamps readings; the simulated and CSV sensors also take their time from it
     * @throws SensorException when the hardware or file cannot be opened
     */
    public static EnergySensor open(SensorConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        return switch (config) {
            case S0SensorConfig s0 -> withOwnContext(Pi4jContexts::forGpio, s0, clock);
            case CtAds1115SensorConfig ct -> withOwnContext(chip -> Pi4jContexts.forI2c(), ct, clock);
            default -> open(config, clock, null);
        };
    }

    /**
     * Opens a sensor on a caller-owned Pi4J context (tests pass one with the mock plugin's providers). The I/O the
     * sensor creates is released on close; the context itself is left running.
     *
     * @param pi4j needed for the s0 and ct-ads1115 types, ignored (may be null) for the others (sml uses jSerialComm)
     */
    public static EnergySensor open(SensorConfig config, Clock clock, Context pi4j) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return switch (config) {
            case SimulatedSensorConfig sim -> new SimulatedHouseholdSensor(new HouseholdLoadProfile(sim, clock.getZone()), clock);
            case CsvReplaySensorConfig csv -> new CsvReplaySensor(CsvReadings.load(csv.file(), csv.rolloverWh()), csv.timeline(), clock);
            case S0SensorConfig s0 -> openS0(s0, clock, Objects.requireNonNull(pi4j, "pi4j context"));
            case CtAds1115SensorConfig ct -> openCt(ct, clock, Objects.requireNonNull(pi4j, "pi4j context"));
            case SmlSensorConfig sml -> SerialPorts.openSml(sml, clock);
        };
    }

    private interface ContextFactory {
        Context create(java.util.Optional<String> gpioChip);
    }

    private static EnergySensor withOwnContext(ContextFactory factory, SensorConfig config, Clock clock) {
        Context context;
        try {
            context = factory.create(config instanceof S0SensorConfig s0 ? s0.gpioChip() : java.util.Optional.empty());
        } catch (RuntimeException | LinkageError e) {
            throw new SensorException("sensor.type " + config.type() + ": cannot start Pi4J (is this a Raspberry Pi "
                    + "with the device nodes accessible? see docs/raspberry-pi.md): " + e.getMessage(), e);
        }
        try {
            return new ReleasingSensor(open(config, clock, context), context::shutdown);
        } catch (RuntimeException e) {
            context.shutdown();
            throw e;
        }
    }

    private static EnergySensor openS0(S0SensorConfig config, Clock clock, Context pi4j) {
        String id = "s0-gpio-" + config.pin();
        DigitalInput input;
        try {
            input = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                    .id(id)
                    .name("S0 pulse input")
                    .address(config.pin())
                    .pull(switch (config.pull()) {
                        case UP -> PullResistance.PULL_UP;
                        case DOWN -> PullResistance.PULL_DOWN;
                        case OFF -> PullResistance.OFF;
                    })
                    .debounce(config.debounce().toNanos() / 1000));
        } catch (RuntimeException e) {
            throw new SensorException("sensor.pin: cannot open GPIO " + config.pin() + " as input (is /dev/gpiochip* there and "
                    + "is this user in the gpio group? on a Pi 5 see sensor.gpioChip in docs/raspberry-pi.md): " + e.getMessage(), e);
        }
        S0PulseSensor sensor = new S0PulseSensor(input, config, clock, System::nanoTime);
        return new ReleasingSensor(sensor, () -> pi4j.shutdown(id));
    }

    private static EnergySensor openCt(CtAds1115SensorConfig config, Clock clock, Context pi4j) {
        I2C i2c;
        try {
            i2c = pi4j.create(I2C.newConfigBuilder(pi4j)
                    .id("ads1115-" + config.bus() + "-0x" + Integer.toHexString(config.address()))
                    .name("ADS1115 CT clamp ADC")
                    .bus(config.bus())
                    .device(config.address()));
        } catch (RuntimeException e) {
            throw new SensorException("sensor.bus: cannot open I2C bus " + config.bus() + " for the ADS1115 at 0x"
                    + Integer.toHexString(config.address()) + " (is I2C enabled, /dev/i2c-" + config.bus()
                    + " there and this user in the i2c group? see docs/raspberry-pi.md): " + e.getMessage(), e);
        }
        try {
            return new CtClampSensor(new Ads1115(i2c), config, clock,
                    SamplePacer.fixedRate(config.dataRate().samplesPerSecond())).start();
        } catch (RuntimeException e) {
            i2c.close();
            throw e;
        }
    }
}
