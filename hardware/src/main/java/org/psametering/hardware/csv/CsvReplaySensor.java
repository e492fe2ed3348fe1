package org.psametering.hardware.csv;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.psametering.hardware.CsvReplaySensorConfig.Timeline;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;

/**
 * Replays {@link CsvReadings} against the sensor's clock. Energy counts from the moment the sensor opens; with the
 * relative timeline the recording starts then, with the absolute timeline the clock's instant picks the row.
 * After the recording ends energy stays flat and no power is reported.
 */
public final class CsvReplaySensor implements EnergySensor {

    private final CsvReadings readings;
    private final Clock clock;
    /** File time = clock time - shift. */
    private final long shiftMillis;
    private final double milliWattHoursAtOpen;
    private volatile boolean closed;

    public CsvReplaySensor(CsvReadings readings, Timeline timeline, Clock clock) {
        this.readings = Objects.requireNonNull(readings, "readings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Instant open = clock.instant();
        this.shiftMillis = timeline == Timeline.RELATIVE ? open.toEpochMilli() - readings.first().toEpochMilli() : 0;
        this.milliWattHoursAtOpen = readings.milliWattHoursAt(open.toEpochMilli() - shiftMillis);
    }

    @Override
    public EnergyReading read() {
        if (closed) {
            throw new IllegalStateException("CSV replay sensor is closed");
        }
        Instant now = clock.instant();
        long fileTime = now.toEpochMilli() - shiftMillis;
        double mwh = readings.milliWattHoursAt(fileTime) - milliWattHoursAtOpen;
        return new EnergyReading(now, (long) Math.floor(Math.max(0, mwh)), readings.powerWattsAt(fileTime));
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "CsvReplaySensor[" + readings.size() + " readings, " + readings.kind() + "]";
    }
}
