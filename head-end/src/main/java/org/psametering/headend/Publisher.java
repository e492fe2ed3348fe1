package org.psametering.headend;

/** Outbound port of the core: the MQTT adapter implements it, tests record what would be published. QoS is always 1. */
@FunctionalInterface
public interface Publisher {
    void publish(String topic, byte[] payload, boolean retained);
}
