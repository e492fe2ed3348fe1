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
 * <p>A publication handed to the client stays here, in flight, until its PUBACK ({@link #sending}, {@link
 * #acknowledged}): the transport uses a fresh Paho client for every connection (see {@link MqttTransport}), so what
 * was in flight when a connection dropped goes back to the front of the queue ({@link #requeueInFlight}) and is sent
 * again on the next one. {@link #size} counts both.
 *
 * <p>Thread-safe: the core thread adds and drains, the connection thread requeues and reads the size, Paho's threads
 * acknowledge.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final int capacity;
    private final ArrayDeque<Publication> queue = new ArrayDeque<>();
    /** Handed to the client, no PUBACK yet, oldest first. */
    private final ArrayDeque<Publication> inFlight = new ArrayDeque<>();
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

    /** The head is being handed to the client: it stays in flight until {@link #acknowledged} or a requeue. */
    synchronized void sending(Publication head) {
        if (queue.peekFirst() == head) {
            queue.removeFirst();
            inFlight.addLast(head);
        }
    }

    /** The client refused it at once: back to the head of the queue (unless a requeue already put it there). */
    synchronized void notSent(Publication publication) {
        if (inFlight.removeIf(p -> p == publication)) {
            queue.addFirst(publication);
        }
    }

    /** The broker acknowledged it (or refused it for good, see {@link #refused}). */
    synchronized void acknowledged(Publication publication) {
        inFlight.removeIf(p -> p == publication);
    }

    /** The broker refused it with an error reason code: sending it again would not help; counted as dropped. */
    synchronized void refused(Publication publication) {
        if (inFlight.removeIf(p -> p == publication)) {
            dropped++;
        }
    }

    /**
     * The connection they were sent on is gone: everything in flight goes back to the front, in its order, to be sent
     * again (a result may then arrive twice; QoS 1 is at least once). A retained state already superseded by a
     * queued newer one for its topic is not requeued. Returns how many were requeued.
     */
    synchronized int requeueInFlight() {
        int requeued = 0;
        while (!inFlight.isEmpty()) {
            Publication last = inFlight.removeLast();
            boolean superseded = last.retained()
                    && queue.stream().anyMatch(q -> q.retained() && q.topic().equals(last.topic()));
            if (!superseded) {
                queue.addFirst(last);
                requeued++;
            }
        }
        return requeued;
    }

    /** Publications not yet acknowledged: queued and in flight. */
    synchronized int size() {
        return queue.size() + inFlight.size();
    }

    synchronized boolean hasQueued() {
        return !queue.isEmpty();
    }

    synchronized long dropped() {
        return dropped;
    }
}
