package org.psametering.cli.broker;

/** An MQTT broker this process started for a local run; closing it stops the broker. */
public interface LocalBroker extends AutoCloseable {
    /** The broker's URL for MQTT clients, e.g. {@code tcp://127.0.0.1:41234}. */
    String url();

    @Override
    void close();
}
