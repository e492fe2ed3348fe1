package org.psametering.headend;

/**
 * A message from the broker. {@code ack} sends the QoS 1 acknowledgement; the core runs it only once the message's
 * effect is durable (or it was rejected), never before.
 */
public record InboundMessage(String topic, byte[] payload, Runnable ack) {
    @Override
    public String toString() {
        return "InboundMessage[" + topic + ", " + (payload == null ? 0 : payload.length) + " bytes]";
    }
}
