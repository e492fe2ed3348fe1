package org.psametering.hardware.sml;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import org.openmuc.jsml.structures.SmlFile;
import org.openmuc.jsml.structures.SmlMessage;
import org.openmuc.jsml.transport.MessageExtractor;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.SmlSensorConfig;
import org.psametering.hardware.sampling.BackgroundSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SML telegrams a meter pushes on its optical interface. A reader thread decodes each telegram as it
 * arrives; the cumulative energy is the meter's own import register minus its value in the first telegram, so it is
 * as exact as the meter itself.
 */
public final class SmlSensor implements EnergySensor {

    private static final Logger LOG = LoggerFactory.getLogger(SmlSensor.class);

    private final DataInputStream in;
    private final AutoCloseable port;
    private final SmlSensorConfig config;
    private final Clock clock;
    private final Object lock = new Object();
    private long firstRegister = -1;
    private long lastRegister = -1;
    private double lastWatts = Double.NaN;
    private long badTelegrams;
    private final BackgroundSampler reader;

    /**
     * @param in   the serial port's byte stream
     * @param port closed after the reader thread has stopped
     */
    public SmlSensor(InputStream in, AutoCloseable port, SmlSensorConfig config, Clock clock) {
        this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
        this.port = Objects.requireNonNull(port, "port");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        // no pause after a bad telegram: the next read already waits up to the telegram timeout
        this.reader = new BackgroundSampler("sml-reader", this::readTelegram, this::onBadTelegram, Duration.ZERO);
    }

    /** Starts the reader thread (once). */
    public SmlSensor start() {
        reader.start();
        return this;
    }

    /**
     * Waits for, decodes and applies one telegram.
     *
     * @throws SensorException when no valid telegram arrives within the timeout (silent head, CRC error)
     */
    public SmlReadout readTelegram() {
        SmlFile file;
        try {
            // jSML's Transport.getSMLFile, with the length check between framing (escapes, CRC) and decoding
            byte[] body = new MessageExtractor(in, config.telegramTimeout().toMillis()).getSmlMessage();
            SmlLengths.check(body);
            file = decode(body);
        } catch (IOException | RuntimeException e) {
            throw new SensorException("sensor.serialPort " + config.serialPort() + ": no valid SML telegram: " + e.getMessage(), e);
        }
        SmlReadout readout = SmlDecoder.readout(file);
        synchronized (lock) {
            if (readout.importMilliWattHours().isPresent()) {
                long register = readout.importMilliWattHours().getAsLong();
                if (firstRegister < 0) {
                    firstRegister = register;
                }
                // a register never runs backwards; a smaller value is a decoding glitch, not negative energy
                lastRegister = Math.max(register, lastRegister);
            }
            lastWatts = readout.powerWatts().orElse(Double.NaN);
        }
        return readout;
    }

    private static SmlFile decode(byte[] body) throws IOException {
        DataInputStream messages = new DataInputStream(new ByteArrayInputStream(body));
        SmlFile file = new SmlFile();
        while (messages.available() > 0) {
            SmlMessage message = new SmlMessage();
            if (!message.decode(messages)) {
                throw new IOException("could not decode SML message");
            }
            file.add(message);
        }
        return file;
    }

    private void onBadTelegram(SensorException e) {
        long n;
        synchronized (lock) {
            n = ++badTelegrams;
        }
        LOG.warn("SML read failed ({} so far): {}", n, e.getMessage());
    }

    @Override
    public EnergyReading read() {
        if (reader.isStopped()) {
            throw new IllegalStateException("SML sensor is closed");
        }
        synchronized (lock) {
            long mwh = firstRegister < 0 ? 0 : lastRegister - firstRegister;
            return new EnergyReading(clock.instant(), mwh,
                    Double.isNaN(lastWatts) ? OptionalDouble.empty() : OptionalDouble.of(lastWatts));
        }
    }

    /** Stops the reader (within one telegram timeout) and closes the port. */
    @Override
    public void close() {
        if (!reader.stop()) {
            return;
        }
        try {
            port.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", config.serialPort(), e.getMessage());
        }
    }

    public boolean isReading() {
        return reader.isRunning();
    }

    @Override
    public String toString() {
        return "SmlSensor[" + config.serialPort() + " @ " + config.baudRate() + " baud]";
    }
}
