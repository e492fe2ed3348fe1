package org.psametering.headend.mqtt;

import java.util.ArrayDeque;
import java.util.Iterator;

import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publications waiting for the broker link, in the order the core made them. Replaces Paho's offline buffer, whose
 * reconnect path in 1.2.5 loses subscriptions when publications are buffered (ClassCastException MqttSubscribe to
 * MqttPublish, eclipse-paho/paho.mqtt.java #622, #1037).
 *
 * <p>A retained publication replaces a queued one on the same topic: only the latest retained state matters, and
 * it keeps the queue bounded by the number of topics for retained state. Results (not retained) queue up to
 * {@link #capacity}; past that the oldest is dropped and counted. It lives in memory on purpose: every result is
 * stored in the database before it is published (HTTP /aggregates serves it whatever happens to the MQTT copy), and
 * the retained announcements and key sets are rebuilt from the database at every connect, so what a crash while
 * offline loses is a live notification, never data.
 *
 * <p>Thread-safe: the core thread adds and drains, the connection thread only reads the size.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final int capacity;
    private final ArrayDeque<Publication> queue = new ArrayDeque<>();
    private long dropped;

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Publication publication) {
        if (publication.retained()) {
            Iterator<Publication> it = queue.iterator();
            while (it.hasNext()) {
                Publication queued = it.next();
                if (queued.retained() && queued.topic().equals(publication.topic())) {
                    it.remove();
                    break;
                }
            }
        }
        if (queue.size() >= capacity) {
            Publication oldest = queue.removeFirst();
            dropped++;
            if (dropped == 1 || dropped % 1000 == 0) {
                LOG.warn("MQTT outbox full ({} publications): dropped the oldest ({}), {} dropped so far; results stay available over HTTP",
                        capacity, LogSafe.text(oldest.topic()), dropped);
            }
        }
        queue.addLast(publication);
    }

    synchronized Publication peek() {
        return queue.peekFirst();
    }

    /** Removes the head once it was handed to the client (only if it is still the head). */
    synchronized void remove(Publication sent) {
        if (queue.peekFirst() == sent) {
            queue.removeFirst();
        }
    }

    synchronized int size() {
        return queue.size();
    }

    synchronized long dropped() {
        return dropped;
    }
}
