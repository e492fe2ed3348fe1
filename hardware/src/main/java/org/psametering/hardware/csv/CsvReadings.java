package org.psametering.hardware.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.energy.WrappingCounter;

/**
 * A recorded series of readings, loaded for replay.
 *
 * <p>File format (version 1): UTF-8 text; blank lines and lines starting with {@code #} are ignored; the first other
 * line is the header {@code timestamp,energy_wh} (a cumulative meter register in Wh) or {@code timestamp,power_w}
 * (average power in W from this row's timestamp until the next row's). Timestamps are ISO-8601 with offset
 * ({@code 2024-01-15T07:00:00Z}) or whole Unix seconds, strictly increasing. At least two rows.
 *
 * <p>Between rows, cumulative energy is linear (exact for power files, where power is constant per row).
 */
public final class CsvReadings {

    /** What the value column holds. */
    public enum Kind { ENERGY_WH, POWER_W }

    private final Kind kind;
    private final long[] epochMillis;
    /** Energy since the first row, in mWh, per row. */
    private final double[] milliWattHours;

    private CsvReadings(Kind kind, long[] epochMillis, double[] milliWattHours) {
        this.kind = kind;
        this.epochMillis = epochMillis;
        this.milliWattHours = milliWattHours;
    }

    /**
     * @param rolloverWh for energy files, where the recorded register wraps to zero; empty: a decrease is an error
     * @throws SensorException naming the file and line of any problem
     */
    public static CsvReadings load(Path file, OptionalDouble rolloverWh) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in, rolloverWh);
        } catch (IOException e) {
            throw new SensorException("sensor.file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static CsvReadings parse(String name, BufferedReader in, OptionalDouble rolloverWh) throws IOException {
        Kind kind = null;
        long[] times = new long[256];
        double[] values = new double[256];
        int rows = 0;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] cells = text.split(",", -1);
            if (kind == null) {
                kind = header(name, lineNo, cells);
                continue;
            }
            if (cells.length != 2) {
                throw error(name, lineNo, "expected 2 columns, got " + cells.length);
            }
            long t = timestamp(name, lineNo, cells[0].strip());
            double v = value(name, lineNo, cells[1].strip());
            if (rows > 0 && t <= times[rows - 1]) {
                throw error(name, lineNo, "timestamp " + Instant.ofEpochMilli(t) + " is not after the previous row's");
            }
            if (rows == times.length) {
                times = Arrays.copyOf(times, rows * 2);
                values = Arrays.copyOf(values, rows * 2);
            }
            times[rows] = t;
            values[rows] = v;
            rows++;
        }
        if (kind == null || rows < 2) {
            throw new SensorException("sensor.file: " + name + " needs a header (timestamp,energy_wh or timestamp,power_w) "
                    + "and at least two readings");
        }
        times = Arrays.copyOf(times, rows);
        try {
            // every later time difference is at most this span: checked once, so none of them can overflow
            Math.subtractExact(times[rows - 1], times[0]);
        } catch (ArithmeticException e) {
            throw new SensorException("sensor.file: " + name + ": the recording spans more than "
                    + Long.MAX_VALUE / 1000 + " seconds");
        }
        double[] cumulative = kind == Kind.ENERGY_WH
                ? fromRegister(name, values, rows, rolloverWh)
                : fromPower(times, values, rows);
        // cumulative energy never decreases, so a finite total means every row is finite
        if (!Double.isFinite(cumulative[rows - 1])) {
            throw new SensorException("sensor.file: " + name + ": the total energy of the recording is too large to represent");
        }
        return new CsvReadings(kind, times, cumulative);
    }

    private static Kind header(String name, int lineNo, String[] cells) {
        if (cells.length == 2 && cells[0].strip().equalsIgnoreCase("timestamp")) {
            switch (cells[1].strip().toLowerCase(Locale.ROOT)) {
                case "energy_wh": return Kind.ENERGY_WH;
                case "power_w": return Kind.POWER_W;
                default: break;
            }
        }
        throw error(name, lineNo, "header must be timestamp,energy_wh or timestamp,power_w, got " + String.join(",", cells));
    }

    private static long timestamp(String name, int lineNo, String cell) {
        try {
            if (cell.chars().allMatch(Character::isDigit) && !cell.isEmpty()) {
                return Math.multiplyExact(Long.parseLong(cell), 1000L);
            }
            return OffsetDateTime.parse(cell).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw error(name, lineNo, "timestamp must be ISO-8601 with offset or Unix seconds, got '" + cell + "'");
        }
    }

    private static double value(String name, int lineNo, String cell) {
        try {
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(name, lineNo, "value must be a finite number >= 0, got '" + cell + "'");
        }
    }

    private static double[] fromRegister(String name, double[] registerWh, int rows, OptionalDouble rolloverWh) {
        double[] out = new double[rows];
        if (rolloverWh.isPresent()) {
            // whole mWh are exact in a long, so wrap detection does not depend on floating-point noise
            long modulus = Math.round(rolloverWh.getAsDouble() * 1000);
            WrappingCounter counter = new WrappingCounter(modulus);
            for (int i = 0; i < rows; i++) {
                long raw = Math.round(registerWh[i] * 1000);
                if (raw >= modulus) {
                    throw new SensorException("sensor.file: " + name + ": reading " + registerWh[i]
                            + " Wh is not below sensor.rolloverWh " + rolloverWh.getAsDouble());
                }
                out[i] = counter.update(raw);
            }
            return out;
        }
        for (int i = 1; i < rows; i++) {
            if (registerWh[i] < registerWh[i - 1]) {
                throw new SensorException("sensor.file: " + name + ": energy_wh decreases at reading " + (i + 1) + " ("
                        + registerWh[i - 1] + " -> " + registerWh[i] + "); set sensor.rolloverWh if the register wraps");
            }
            out[i] = (registerWh[i] - registerWh[0]) * 1000;
        }
        return out;
    }

    private static double[] fromPower(long[] times, double[] watts, int rows) {
        double[] out = new double[rows];
        for (int i = 1; i < rows; i++) {
            out[i] = out[i - 1] + watts[i - 1] * (times[i] - times[i - 1]) / 3600.0;
        }
        return out;
    }

    private static SensorException error(String name, int lineNo, String problem) {
        return new SensorException("sensor.file: " + name + " line " + lineNo + ": " + problem);
    }

    public Kind kind() {
        return kind;
    }

    public Instant first() {
        return Instant.ofEpochMilli(epochMillis[0]);
    }

    public Instant last() {
        return Instant.ofEpochMilli(epochMillis[epochMillis.length - 1]);
    }

    public int size() {
        return epochMillis.length;
    }

    /** Energy since the first row at {@code t}, in mWh; held flat before the first and after the last row. */
    public double milliWattHoursAt(long epochMilli) {
        int n = epochMillis.length;
        if (epochMilli <= epochMillis[0]) {
            return 0;
        }
        if (epochMilli >= epochMillis[n - 1]) {
            return milliWattHours[n - 1];
        }
        int i = interval(epochMilli);
        double fraction = (double) (epochMilli - epochMillis[i]) / (epochMillis[i + 1] - epochMillis[i]);
        return milliWattHours[i] + fraction * (milliWattHours[i + 1] - milliWattHours[i]);
    }

    /** Average power of the interval containing {@code t}; empty outside the recording. */
    public OptionalDouble powerWattsAt(long epochMilli) {
        int n = epochMillis.length;
        if (epochMilli < epochMillis[0] || epochMilli >= epochMillis[n - 1]) {
            return OptionalDouble.empty();
        }
        int i = interval(epochMilli);
        double watts = (milliWattHours[i + 1] - milliWattHours[i]) * 3600.0 / (epochMillis[i + 1] - epochMillis[i]);
        return OptionalDouble.of(Math.max(0, watts));
    }

    /** Index i with times[i] <= t < times[i + 1]; t must lie within the recording. */
    private int interval(long epochMilli) {
        int i = Arrays.binarySearch(epochMillis, epochMilli);
        return i >= 0 ? i : -i - 2;
    }
}
