package org.psametering.hardware.sml;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.OptionalDouble;
import org.openmuc.jsml.structures.SmlFile;
import org.openmuc.jsml.transport.Transport;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.SmlSensorConfig;
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
    private final Transport transport = new Transport();
    private final Object lock = new Object();
    private long firstRegister = -1;
    private long lastRegister = -1;
    private double lastWatts = Double.NaN;
    private long badTelegrams;
    private Thread reader;
    private volatile boolean closed;

    /**
     * @param in   the serial port's byte stream
     * @param port closed after the reader thread has stopped
     */
    public SmlSensor(InputStream in, AutoCloseable port, SmlSensorConfig config, Clock clock) {
        this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
        this.port = Objects.requireNonNull(port, "port");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        transport.setTimeout((int) config.telegramTimeout().toMillis());
    }

    /** Starts the reader thread (once). */
    public synchronized SmlSensor start() {
        if (closed) {
            throw new IllegalStateException("sensor is closed");
        }
        if (reader == null) {
            reader = new Thread(this::readUntilClosed, "sml-reader");
            reader.setDaemon(true);
            reader.start();
        }
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
            file = transport.getSMLFile(in);
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

    private void readUntilClosed() {
        while (!closed) {
            try {
                readTelegram();
            } catch (SensorException e) {
                if (closed) {
                    return;
                }
                long n;
                synchronized (lock) {
                    n = ++badTelegrams;
                }
                LOG.warn("SML read failed ({} so far): {}", n, e.getMessage());
            }
        }
    }

    @Override
    public EnergyReading read() {
        if (closed) {
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
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = reader;
        }
        if (t != null) {
            t.interrupt();
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            port.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", config.serialPort(), e.getMessage());
        }
    }

    public boolean isReading() {
        Thread t;
        synchronized (this) {
            t = reader;
        }
        return t != null && t.isAlive();
    }

    @Override
    public String toString() {
        return "SmlSensor[" + config.serialPort() + " @ " + config.baudRate() + " baud]";
    }
}
