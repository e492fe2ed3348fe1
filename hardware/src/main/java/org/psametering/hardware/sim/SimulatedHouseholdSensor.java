package org.psametering.hardware.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;

/**
 * Integrates a {@link HouseholdLoadProfile} over the sensor's clock. Energy between two reads is the exact integral
 * of the minute-wise constant profile, so the series depends only on the seed and the read instants, not on how
 * often the sensor is read; an accelerated demo clock simply covers more minutes per real second.
 */
public final class SimulatedHouseholdSensor implements EnergySensor {

    private static final long MILLIS_PER_MINUTE = 60_000;
    /** mWh per (W * ms) = 1000 / 3_600_000. */
    private static final double MILLI_WATT_HOURS_PER_WATT_MILLI = 1.0 / 3600.0;

    private final HouseholdLoadProfile profile;
    private final Clock clock;
    private Instant last;
    private double milliWattHours;
    private boolean closed;

    public SimulatedHouseholdSensor(HouseholdLoadProfile profile, Clock clock) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = clock.instant();
    }

    @Override
    public synchronized EnergyReading read() {
        if (closed) {
            throw new IllegalStateException("simulated sensor is closed");
        }
        Instant now = clock.instant();
        if (now.isAfter(last)) {
            milliWattHours += integrate(last.toEpochMilli(), now.toEpochMilli());
            last = now;
        }
        double watts = profile.powerWatts(Math.floorDiv(now.toEpochMilli(), MILLIS_PER_MINUTE));
        return new EnergyReading(now, (long) Math.floor(milliWattHours), OptionalDouble.of(watts));
    }

    /** mWh between two epoch-millisecond instants, minute by minute. */
    private double integrate(long fromMillis, long toMillis) {
        double sum = 0;
        long t = fromMillis;
        while (t < toMillis) {
            long minute = Math.floorDiv(t, MILLIS_PER_MINUTE);
            long end = Math.min(toMillis, (minute + 1) * MILLIS_PER_MINUTE);
            sum += profile.powerWatts(minute) * (end - t) * MILLI_WATT_HOURS_PER_WATT_MILLI;
            t = end;
        }
        return sum;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SimulatedHouseholdSensor";
    }
}
