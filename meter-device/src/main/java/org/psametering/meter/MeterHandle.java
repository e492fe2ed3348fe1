package org.psametering.meter;

import org.psametering.meter.agent.MeterStats;

/** A running meter. {@link #close()} stops it cleanly (the sensor, passed in by the caller, stays open). */
public interface MeterHandle extends AutoCloseable {

    String meterId();

    MeterStats stats();

    boolean isConnected();

    @Override
    void close();
}
