package org.psametering.hardware.s0;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.S0SensorConfig;
import org.psametering.hardware.energy.PulseCounter;
import org.psametering.hardware.energy.PulseEnergy;

/**
 * Counts S0 pulses on a Pi4J digital input. The input's owner (see {@code Sensors}) releases the pin; this class only
 * detaches its listener, so it never outlives the input it was given.
 */
public final class S0PulseSensor implements EnergySensor {

    private final DigitalInput input;
    private final S0SensorConfig config;
    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final PulseCounter counter;
    private final DigitalStateChangeListener listener;
    private volatile boolean closed;

    /**
     * @param nanoTicker monotonic nanoseconds for debounce and pulse timing ({@code System::nanoTime} in production);
     *                   the wall {@code clock} only stamps readings, since it may be stepped or accelerated
     */
    public S0PulseSensor(DigitalInput input, S0SensorConfig config, Clock clock, LongSupplier nanoTicker) {
        this.input = Objects.requireNonNull(input, "input");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
        this.counter = new PulseCounter(TimeUnit.MILLISECONDS.toNanos(config.debounce().toMillis()));
        DigitalState pulseState = config.pulseIsHigh() ? DigitalState.HIGH : DigitalState.LOW;
        this.listener = event -> {
            if (event.state() == pulseState) {
                counter.onPulseEdge(nanoTicker.getAsLong());
            }
        };
        input.addListener(listener);
    }

    @Override
    public EnergyReading read() {
        if (closed) {
            throw new IllegalStateException("S0 sensor on GPIO " + config.pin() + " is closed");
        }
        PulseCounter.Snapshot s = counter.snapshot();
        return new EnergyReading(clock.instant(), PulseEnergy.milliWattHours(s.pulses(), config.impulsesPerKwh()),
                PulseEnergy.powerWatts(s, nanoTicker.getAsLong(), config.impulsesPerKwh()));
    }

    /** Pulses counted so far. */
    public long pulses() {
        return counter.pulses();
    }

    /** Edges dropped as contact bounce. */
    public long bounces() {
        return counter.bounces();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            input.removeListener(listener);
        }
    }

    @Override
    public String toString() {
        return "S0PulseSensor[gpio=" + config.pin() + ", " + config.impulsesPerKwh() + " imp/kWh]";
    }
}
