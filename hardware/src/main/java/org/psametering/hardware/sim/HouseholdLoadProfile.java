package org.psametering.hardware.sim;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.psametering.hardware.SimulatedSensorConfig;

/**
 * A synthetic household's power draw, one value per minute, as a pure function of (seed, minute): the same seed
 * gives the same series however and whenever it is sampled.
 *
 * <p>Shape: always-on base load; an activity curve with a morning and a (larger) evening peak, shifted later and
 * flatter at weekends when people are at home around midday; a winter-high seasonal factor (lighting, heating
 * pumps); appliances (kettle, cooker, washing machine, shower) switched on at random with a probability that follows
 * activity; and a little minute-to-minute noise. Clamped to [0, maxWatts]. With the defaults a year comes to about
 * 3.9 MWh (mean about 450 W), plausible for a family household without electric heating; not fitted to any data set.
 */
public final class HouseholdLoadProfile {

    /** Appliances: power, run length, and start probability per minute at full activity. */
    private enum Appliance {
        KETTLE(2000, 3, 0.010),
        COOKER(2200, 40, 0.0020),
        WASHING_MACHINE(1900, 25, 0.0008),
        SHOWER_PUMP(900, 12, 0.0030);

        final double watts;
        final int minutes;
        final double startProbability;

        Appliance(double watts, int minutes, double startProbability) {
            this.watts = watts;
            this.minutes = minutes;
            this.startProbability = startProbability;
        }
    }

    private static final double MINUTES_PER_DAY = 1440;
    private static final int NOISE_STREAM = 1000;

    private final SimulatedSensorConfig config;
    private final ZoneId zone;
    /** Lights, TV, cooking, computers at full evening activity. */
    private final double activityWatts;

    public HouseholdLoadProfile(SimulatedSensorConfig config, ZoneId zone) {
        this.config = Objects.requireNonNull(config, "config");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.activityWatts = Math.min(700, config.maxWatts() * 0.2);
    }

    /** Average power during the minute starting at {@code epochMinute} (minutes since 1970-01-01T00:00Z). */
    public double powerWatts(long epochMinute) {
        ZonedDateTime local = Instant.ofEpochSecond(epochMinute * 60).atZone(zone);
        double hour = local.getHour() + local.getMinute() / 60.0;
        boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        double activity = weekend ? weekendActivity(hour) : weekdayActivity(hour);
        double season = seasonalFactor(local.getDayOfYear());

        double watts = config.baseLoadWatts() + activity * activityWatts * season;
        int minuteOfDay = local.getHour() * 60 + local.getMinute();
        for (Appliance a : Appliance.values()) {
            if (runsAt(a, epochMinute, minuteOfDay, weekend)) {
                watts += a.watts;
            }
        }
        watts *= 1 + 0.1 * (2 * uniform(NOISE_STREAM, epochMinute) - 1);
        return Math.max(0, Math.min(config.maxWatts(), watts));
    }

    /**
     * An appliance runs at minute m if it started in one of the preceding run-length minutes. Start minutes reuse
     * m's calendar day and offset (a start just before midnight or a DST switch is judged by m's day type).
     */
    private boolean runsAt(Appliance a, long epochMinute, int minuteOfDay, boolean weekend) {
        for (int back = a.minutes - 1; back >= 0; back--) {
            double hour = Math.floorMod(minuteOfDay - back, (int) MINUTES_PER_DAY) / 60.0;
            double activity = weekend ? weekendActivity(hour) : weekdayActivity(hour);
            if (uniform(a.ordinal(), epochMinute - back) < a.startProbability * activity) {
                return true;
            }
        }
        return false;
    }

    /** Up at 6-7, out during the day, home in the evening; 0..1. */
    static double weekdayActivity(double hour) {
        return 0.05 + bump(hour, 7.0, 0.8, 0.55) + bump(hour, 12.5, 2.0, 0.08) + bump(hour, 19.5, 1.6, 0.90);
    }

    /** Later start, home around midday, slightly earlier evening; 0..1. */
    static double weekendActivity(double hour) {
        return 0.05 + bump(hour, 9.5, 1.4, 0.55) + bump(hour, 13.0, 2.2, 0.40) + bump(hour, 19.0, 1.8, 0.85);
    }

    private static double bump(double hour, double centre, double width, double height) {
        double d = (hour - centre) / width;
        return height * Math.exp(-0.5 * d * d);
    }

    /** +25 % in mid-January, -25 % in mid-July. */
    static double seasonalFactor(int dayOfYear) {
        return 1 + 0.25 * Math.cos(2 * Math.PI * (dayOfYear - 15) / 365.25);
    }

    /** A uniform [0, 1) value that depends only on (seed, stream, minute): SplitMix64's finaliser over a combined key. */
    private double uniform(long stream, long epochMinute) {
        long z = config.seed() * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + epochMinute * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
