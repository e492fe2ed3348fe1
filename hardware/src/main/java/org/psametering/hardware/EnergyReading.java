package org.psametering.hardware;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One sensor reading.
 *
 * @param at                       when the reading was taken (sensor's clock)
 * @param cumulativeMilliWattHours energy since the sensor was opened, in milli-watt-hours; kept in mWh rather than Wh
 *                                 so that sub-Wh steps (short demo steps, S0 meters with many impulses per kWh)
 *                                 do not vanish in rounding
 * @param powerWatts               instantaneous (or last-window average) power, where the sensor knows it
 */
public record EnergyReading(Instant at, long cumulativeMilliWattHours, OptionalDouble powerWatts) {

    public EnergyReading {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(powerWatts, "powerWatts");
        if (cumulativeMilliWattHours < 0) {
            throw new IllegalArgumentException("cumulativeMilliWattHours must be >= 0, got " + cumulativeMilliWattHours);
        }
        if (powerWatts.isPresent() && !(powerWatts.getAsDouble() >= 0 && Double.isFinite(powerWatts.getAsDouble()))) {
            throw new IllegalArgumentException("powerWatts must be finite and >= 0, got " + powerWatts.getAsDouble());
        }
    }

    /** Whole watt-hours (rounded down), the unit the meter encrypts per step. */
    public long cumulativeWattHours() {
        return cumulativeMilliWattHours / 1000;
    }
}
