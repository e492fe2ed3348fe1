package org.psametering.meter;

import org.psametering.meter.agent.MeterStats;

/** A running meter. {@link #close()} stops it cleanly (the sensor, passed in by the caller, stays open). */
public interface MeterHandle extends AutoCloseable {

    String meterId();

    MeterStats stats();

    boolean isConnected();

    /** The broker link: up or not, connects, failed and TLS-refused attempts, and the newest failure's reason. */
    org.psametering.meter.mqtt.LinkStatus link();

    @Override
    void close();
}
