package org.psametering.hardware.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.psametering.fuzz.SeedCorpus;
import org.psametering.hardware.SensorException;

/**
 * Fuzz targets for the CSV replay file. Property: any file either loads, and then yields finite, never decreasing
 * energy over the whole recording, or throws {@link SensorException}; any other exception, an OutOfMemoryError or a
 * hang is a finding.
 */
class CsvReadingsFuzzTest {

    @FuzzTest
    void parse(byte[] input) throws IOException {
        check(input, OptionalDouble.empty());
    }

    /** The same with a wrapping register (sensor.rolloverWh), which takes the other energy path. */
    @FuzzTest
    void parseWithRollover(byte[] input) throws IOException {
        check(input, OptionalDouble.of(100_000));
    }

    private static void check(byte[] input, OptionalDouble rolloverWh) throws IOException {
        CsvReadings readings;
        try {
            readings = CsvReadings.parse("fuzz.csv", new BufferedReader(new StringReader(new String(input, UTF_8))), rolloverWh);
        } catch (SensorException expected) {
            return;
        }
        long first = readings.first().toEpochMilli();
        long last = readings.last().toEpochMilli();
        double previous = 0;
        for (int i = 0; i <= 16; i++) {
            // in doubles: the test must not overflow where the code under test must not either
            long t = Math.min(last, (long) (first + ((double) last - first) * i / 16));
            double mwh = readings.milliWattHoursAt(t);
            assertTrue(Double.isFinite(mwh) && mwh >= previous, "energy " + mwh + " at " + t + " after " + previous);
            previous = mwh;
        }
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=CsvReadingsFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        String energy = "# recorded register\ntimestamp,energy_wh\n2024-01-15T07:00:00Z,12000.5\n2024-01-15T07:15:00Z,12100\n"
                + "2024-01-15T07:30:00Z,12350.25\n";
        String power = "timestamp,power_w\n1705302000,350\n1705302900,1200.5\n1705303800,0\n";
        String wrap = "timestamp,energy_wh\n1705302000,99990\n1705302900,5\n1705303800,20\n";
        String huge = "timestamp,power_w\n1,1e308\n9000000000000000,1e308\n";
        SeedCorpus corpus = new SeedCorpus(getClass());
        corpus.write("parse", seeds("energy", energy.getBytes(UTF_8), "power", power.getBytes(UTF_8),
                "huge-power", huge.getBytes(UTF_8),
                "overflowing-span", "timestamp,power_w\n-200000000-01-01T00:00:00Z,1\n9000000000000000,1\n".getBytes(UTF_8), "header-only", "timestamp,power_w\n".getBytes(UTF_8),
                "negative", "timestamp,energy_wh\n1,-1\n2,3\n".getBytes(UTF_8)));
        corpus.write("parseWithRollover", seeds("wrap", wrap.getBytes(UTF_8), "energy", energy.getBytes(UTF_8),
                "at-rollover", "timestamp,energy_wh\n1,100000\n2,3\n".getBytes(UTF_8)));
    }
}
