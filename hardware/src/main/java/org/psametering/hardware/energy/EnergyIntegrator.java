package org.psametering.hardware.energy;

import java.time.Duration;

/**
 * Accumulates energy from power held over intervals. Kept in double mWh internally so that many short windows of
 * small power add up without per-window rounding; reported rounded down to whole mWh.
 */
public final class EnergyIntegrator {

    private static final double MILLI_WATT_HOURS_PER_WATT_SECOND = 1000.0 / 3600.0;

    private double milliWattHours;

    /** Adds {@code watts} held for {@code interval}; negative intervals (a clock stepped back) add nothing. */
    public void add(double watts, Duration interval) {
        if (!(watts >= 0) || !Double.isFinite(watts)) {
            throw new IllegalArgumentException("watts must be finite and >= 0, got " + watts);
        }
        if (interval.isNegative() || interval.isZero()) {
            return;
        }
        double seconds = interval.getSeconds() + interval.getNano() / 1e9;
        milliWattHours += watts * seconds * MILLI_WATT_HOURS_PER_WATT_SECOND;
    }

    public long milliWattHours() {
        return (long) Math.floor(milliWattHours);
    }
}
