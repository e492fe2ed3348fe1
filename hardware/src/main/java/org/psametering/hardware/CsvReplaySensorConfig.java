package org.psametering.hardware;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Replays recorded readings from a CSV file (format in {@code org.psametering.hardware.csv.CsvReadings}).
 *
 * @param file       the CSV file
 * @param timeline   {@code relative}: the first row is replayed when the sensor opens; {@code absolute}: rows are
 *                   replayed at their own timestamps
 * @param rolloverWh for cumulative-energy files: the value at which the recorded meter register wraps to zero
 *                   (e.g. 100000000 for a 6+2-digit kWh register); empty when it never wraps
 */
public record CsvReplaySensorConfig(Path file, Timeline timeline, OptionalDouble rolloverWh) implements SensorConfig {

    public static final String TYPE = "csv";

    /** How file timestamps map to the sensor's clock. */
    public enum Timeline { RELATIVE, ABSOLUTE }

    public CsvReplaySensorConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(rolloverWh, "rolloverWh");
        if (rolloverWh.isPresent() && !(rolloverWh.getAsDouble() > 0 && rolloverWh.getAsDouble() < 1e15)) {
            throw new InvalidSensorConfigException("sensor.rolloverWh", "must be > 0 Wh, got " + rolloverWh.getAsDouble());
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
