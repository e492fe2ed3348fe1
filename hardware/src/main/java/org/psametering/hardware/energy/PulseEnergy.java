package org.psametering.hardware.energy;

import java.util.OptionalDouble;

/** Converts S0 pulses to energy and power, given the meter's impulses-per-kWh constant. */
public final class PulseEnergy {

    private static final long MILLI_WATT_HOURS_PER_KWH = 1_000_000L;
    private static final double JOULES_PER_KWH = 3.6e6;

    private PulseEnergy() {
    }

    /**
     * Energy of {@code pulses} pulses in mWh, rounded down. Split into whole kWh and a remainder so that the
     * multiplication cannot overflow for any pulse count a long can hold at realistic constants.
     */
    public static long milliWattHours(long pulses, int impulsesPerKwh) {
        if (pulses < 0 || impulsesPerKwh <= 0) {
            throw new IllegalArgumentException("need pulses >= 0 and impulsesPerKwh > 0, got " + pulses + ", " + impulsesPerKwh);
        }
        long wholeKwh = pulses / impulsesPerKwh;
        long remainder = pulses % impulsesPerKwh;
        return Math.addExact(Math.multiplyExact(wholeKwh, MILLI_WATT_HOURS_PER_KWH),
                remainder * MILLI_WATT_HOURS_PER_KWH / impulsesPerKwh);
    }

    /**
     * Power from pulse timing: one pulse is 1/impulsesPerKwh kWh, so the interval between pulses gives the average
     * power. When the time since the last pulse already exceeds that interval, load has dropped and the longer time
     * bounds the power from above, so the smaller estimate is reported.
     *
     * @return empty before two pulses have been seen
     */
    public static OptionalDouble powerWatts(PulseCounter.Snapshot s, long nowNanos, int impulsesPerKwh) {
        if (s.lastIntervalNanos() <= 0) {
            return OptionalDouble.empty();
        }
        long interval = Math.max(s.lastIntervalNanos(), nowNanos - s.lastPulseNanos());
        double joulesPerPulse = JOULES_PER_KWH / impulsesPerKwh;
        return OptionalDouble.of(joulesPerPulse / (interval / 1e9));
    }
}
