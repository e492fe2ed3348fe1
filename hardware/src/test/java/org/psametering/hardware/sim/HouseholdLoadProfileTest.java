package org.psametering.hardware.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.SimulatedSensorConfig;

class HouseholdLoadProfileTest {

    private static final long JAN_2025 = Instant.parse("2025-01-06T00:00:00Z").getEpochSecond() / 60; // a Monday
    private static final long JUL_2025 = Instant.parse("2025-07-07T00:00:00Z").getEpochSecond() / 60; // a Monday
    private static final int WEEK = 7 * 1440;

    private static double[] series(long seed, long fromMinute, int minutes) {
        var p = new HouseholdLoadProfile(new SimulatedSensorConfig(seed, 150, 11_000), ZoneOffset.UTC);
        double[] w = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            w[i] = p.powerWatts(fromMinute + i);
        }
        return w;
    }

    /** Mean power over [fromHour, toHour) on the chosen kind of day across the series. */
    private static double mean(double[] w, long fromMinute, boolean weekend, int fromHour, int toHour) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            ZonedDateTime t = Instant.ofEpochSecond((fromMinute + i) * 60).atZone(ZoneOffset.UTC);
            boolean isWeekend = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (isWeekend == weekend && t.getHour() >= fromHour && t.getHour() < toHour) {
                sum += w[i];
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void sameSeedSameSeriesOtherSeedOtherSeries() {
        double[] a = series(7, JAN_2025, 2 * 1440);
        assertArrayEquals(a, series(7, JAN_2025, 2 * 1440));
        assertFalse(Arrays.equals(a, series(8, JAN_2025, 2 * 1440)));
    }

    @Test
    void dailyAndWeeklyShape() {
        double[] w = series(3, JAN_2025, 4 * WEEK);
        double night = mean(w, JAN_2025, false, 2, 4);
        double evening = mean(w, JAN_2025, false, 18, 21);
        double morning = mean(w, JAN_2025, false, 6, 8);
        double weekdayMidday = mean(w, JAN_2025, false, 11, 14);
        double weekendMidday = mean(w, JAN_2025, true, 11, 14);
        assertTrue(night > 100 && night < 300, "night is about the base load: " + night);
        assertTrue(evening > 2.5 * night, "evening peak " + evening + " vs night " + night);
        assertTrue(morning > 1.5 * night, "morning peak " + morning + " vs night " + night);
        assertTrue(weekendMidday > 1.3 * weekdayMidday,
                "home at weekend middays: " + weekendMidday + " vs weekday " + weekdayMidday);
    }

    @Test
    void winterAboveSummer() {
        double winter = Arrays.stream(series(5, JAN_2025, 2 * WEEK)).average().orElseThrow();
        double summer = Arrays.stream(series(5, JUL_2025, 2 * WEEK)).average().orElseThrow();
        assertTrue(winter > 1.1 * summer, "winter " + winter + " vs summer " + summer);
        // a plausible household: 250-600 W average is roughly 2.2-5.3 MWh a year
        assertTrue(winter > 250 && winter < 600, "winter mean " + winter);
    }

    @Test
    void neverAboveMaximumAndHasApplianceSpikes() {
        var p = new HouseholdLoadProfile(new SimulatedSensorConfig(11, 150, 2500), ZoneOffset.UTC);
        double max = 0;
        double min = Double.MAX_VALUE;
        for (long m = JAN_2025; m < JAN_2025 + WEEK; m++) {
            double w = p.powerWatts(m);
            max = Math.max(max, w);
            min = Math.min(min, w);
        }
        assertTrue(max <= 2500, "max " + max);
        assertEquals(2500, max, 1e-9, "appliances pile up to the limit at some point in a week");
        assertTrue(min >= 0);
    }
}
