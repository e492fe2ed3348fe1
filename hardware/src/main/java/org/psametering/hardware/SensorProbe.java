package org.psametering.hardware;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints live readings so an installer can check the wiring: switch a kettle on and watch the power jump.
 * Used by the meter's {@code --sensor-test} flag.
 */
public final class SensorProbe {

    private final EnergySensor sensor;
    private final PrintStream out;

    public SensorProbe(EnergySensor sensor, PrintStream out) {
        this.sensor = Objects.requireNonNull(sensor, "sensor");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Prints a header, then one reading per interval.
     *
     * @param interval real time between readings (zero: back to back)
     * @param count    readings to print; 0 or less: until the thread is interrupted
     * @return the number of readings printed
     * @throws SensorException when the sensor fails; readings printed so far stay on {@code out}
     */
    public long run(Duration interval, long count) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must be >= 0, got " + interval);
        }
        out.println("# sensor " + sensor + " (Ctrl-C to stop)");
        out.println("# time                          cumulative_Wh      power_W");
        long printed = 0;
        while (count <= 0 || printed < count) {
            if (printed > 0 && !interval.isZero()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            out.println(format(sensor.read()));
            printed++;
        }
        out.flush();
        return printed;
    }

    static String format(EnergyReading r) {
        String power = r.powerWatts().isPresent() ? String.format(Locale.ROOT, "%12.1f", r.powerWatts().getAsDouble()) : "           -";
        return String.format(Locale.ROOT, "%-30s %13.3f %s", r.at(), r.cumulativeMilliWattHours() / 1000.0, power);
    }
}
