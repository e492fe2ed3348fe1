package org.psametering.hardware;

/** Closes a sensor, then releases what was opened for it (its Pi4J I/O or context), even if closing failed. */
final class ReleasingSensor implements EnergySensor {

    private final EnergySensor sensor;
    private final Runnable release;
    private boolean closed;

    ReleasingSensor(EnergySensor sensor, Runnable release) {
        this.sensor = sensor;
        this.release = release;
    }

    @Override
    public EnergyReading read() {
        return sensor.read();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sensor.close();
        } finally {
            release.run();
        }
    }

    @Override
    public String toString() {
        return sensor.toString();
    }
}
