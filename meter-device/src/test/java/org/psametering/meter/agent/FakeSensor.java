package org.psametering.meter.agent;

import java.time.Clock;
import java.util.OptionalDouble;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;

/** A cumulative counter the test sets directly (in Wh). */
final class FakeSensor implements EnergySensor {
    private final Clock clock;
    private volatile long cumulativeWh;
    volatile boolean failing;

    FakeSensor(Clock clock) {
        this.clock = clock;
    }

    void use(long wattHours) {
        cumulativeWh += wattHours;
    }

    @Override
    public EnergyReading read() {
        if (failing) {
            throw new IllegalStateException("sensor unplugged");
        }
        return new EnergyReading(clock.instant(), cumulativeWh * 1000, OptionalDouble.empty());
    }

    @Override
    public void close() {
    }
}
