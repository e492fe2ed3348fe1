package org.psametering.meter.outbox;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message waiting to be delivered: an already encrypted and authenticated ciphertext message, ready to publish.
 *
 * @param sequence per-meter increasing number; orders the outbox and identifies the entry when its delivery is acknowledged
 * @param label    the time-step label of the ciphertext (for logs and counters; the payload carries it too)
 * @param topic    MQTT topic to publish to (it names the epoch, so entries of an old epoch still go where they belong)
 * @param payload  the wire bytes (not secret: ciphertext and MAC)
 */
public record OutboxEntry(long sequence, long label, String topic, byte[] payload) {

    public OutboxEntry {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("outbox entry topic is empty");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload without a defensive copy, for the publish path (callers must not modify it). */
    byte[] payloadView() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxEntry e && e.sequence == sequence && e.label == label && e.topic.equals(topic)
                && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, label, topic, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "OutboxEntry[sequence=" + sequence + ", label=" + label + ", topic=" + topic + ", " + payload.length + " bytes]";
    }
}
