package org.psametering.meter.agent;

/**
 * The only way the transport-free core sends anything. Every publish is MQTT QoS 1 (the protocol uses nothing else);
 * the MQTT adapter implements it over Paho, tests with an in-memory list.
 */
public interface Outbound {

    /**
     * Starts publishing; must not block on the network. Exactly one of the listener's methods is called later (possibly
     * on another thread, possibly before this method returns).
     */
    void publish(String topic, byte[] payload, boolean retained, DeliveryListener listener);

    interface DeliveryListener {
        /** The broker acknowledged the message (PUBACK). */
        void delivered();

        /** The message may not have reached the broker (not connected, connection lost, rejected). */
        void failed(Throwable cause);
    }

    /** For messages whose outcome the caller does not track (they are re-sent on the next trigger anyway). */
    DeliveryListener IGNORE = new DeliveryListener() {
        @Override
        public void delivered() {
        }

        @Override
        public void failed(Throwable cause) {
        }
    };
}
