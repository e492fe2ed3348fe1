package org.psametering.hardware;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A German "moderne Messeinrichtung" / eHZ pushing SML telegrams on its optical D0 interface, read with an IR
 * read head on a serial port.
 *
 * @param serialPort      the read head's device, e.g. {@code /dev/ttyUSB0} (USB head) or {@code /dev/serial0} (UART)
 * @param baudRate        9600 for nearly all meters (8N1)
 * @param telegramTimeout how long to wait for a telegram before reporting the head as silent (meters push every 1-4 s)
 */
public record SmlSensorConfig(String serialPort, int baudRate, Duration telegramTimeout) implements SensorConfig {

    public static final String TYPE = "sml";
    private static final Set<Integer> BAUD_RATES = Set.of(300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200);

    public SmlSensorConfig {
        Objects.requireNonNull(serialPort, "serialPort");
        if (serialPort.isBlank()) {
            throw new InvalidSensorConfigException("sensor.serialPort", "must name the read head's device, e.g. /dev/ttyUSB0");
        }
        if (!BAUD_RATES.contains(baudRate)) {
            throw new InvalidSensorConfigException("sensor.baudRate",
                    "must be one of " + new java.util.TreeSet<>(BAUD_RATES) + ", got " + baudRate);
        }
        Objects.requireNonNull(telegramTimeout, "telegramTimeout");
        if (telegramTimeout.compareTo(Duration.ofSeconds(2)) < 0 || telegramTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new InvalidSensorConfigException("sensor.timeoutSeconds", "must be 2..300 s, got " + telegramTimeout.toSeconds());
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
