package org.psametering.headend.mqtt;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publications waiting for the broker link, in the order the core made them. Replaces Paho's offline buffer, whose
 * reconnect path in 1.2.5 loses subscriptions when publications are buffered (ClassCastException MqttSubscribe to
 * MqttPublish, eclipse-paho/paho.mqtt.java #622, #1037).
 *
 * <p>A retained publication replaces a queued one on the same topic: only the latest retained state matters, and
 * it keeps the queue bounded by the number of topics for retained state. Retained state is never dropped for
 * capacity: a sparse epoch of 10 000 members queues 10 000 per-meter key sets at once (the broker lets only a few
 * dozen be in flight), and dropping one would leave its meter without a key set and the epoch stuck, with the link
 * up and nothing to retry it. Results (not retained) queue up to {@link #capacity}; past that the oldest result is
 * dropped and counted. It lives in memory on purpose: every result is
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

    /** The most results (not retained) queued at once. */
    private final int capacity;
    /** Queued, in order; may hold superseded retained publications, skipped and removed when they reach the head. */
    private final ArrayDeque<Publication> queue = new ArrayDeque<>();
    /** The queued retained publication of each topic: replacing one is O(1) even with 10 000 retained topics queued. */
    private final Map<String, Publication> queuedRetained = new HashMap<>();
    /** Retained publications still in {@link #queue} that a newer one for their topic replaced. */
    private final Set<Publication> superseded = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Handed to the client, no PUBACK yet, oldest first. */
    private final ArrayDeque<Publication> inFlight = new ArrayDeque<>();
    private int queuedResults;
    private long dropped;

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Publication publication) {
        if (publication.retained()) {
            Publication older = queuedRetained.put(publication.topic(), publication);
            if (older != null) {
                superseded.add(older);
            }
        } else {
            if (queuedResults >= capacity) {
                dropOldestResult();
            }
            queuedResults++;
        }
        queue.addLast(publication);
    }

    private void dropOldestResult() {
        Iterator<Publication> it = queue.iterator();
        while (it.hasNext()) {
            Publication queued = it.next();
            if (!queued.retained()) {
                it.remove();
                queuedResults--;
                dropped++;
                if (dropped == 1 || dropped % 1000 == 0) {
                    LOG.warn("MQTT outbox full ({} results): dropped the oldest ({}), {} dropped so far; results stay available over HTTP",
                            capacity, LogSafe.text(queued.topic()), dropped);
                }
                return;
            }
        }
    }

    synchronized Publication peek() {
        Publication head;
        while ((head = queue.peekFirst()) != null && superseded.remove(head)) {
            queue.removeFirst();
        }
        return head;
    }

    /** The head is being handed to the client: it stays in flight until {@link #acknowledged} or a requeue. */
    synchronized void sending(Publication head) {
        if (peek() == head) {
            queue.removeFirst();
            if (head.retained()) {
                queuedRetained.remove(head.topic(), head);
            } else {
                queuedResults--;
            }
            inFlight.addLast(head);
        }
    }

    /** The client refused it at once: back to the head of the queue (unless a requeue already put it there). */
    synchronized void notSent(Publication publication) {
        if (inFlight.removeIf(p -> p == publication)) {
            requeueAtFront(publication);
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
            if (requeueAtFront(inFlight.removeLast())) {
                requeued++;
            }
        }
        return requeued;
    }

    /** Back to the front; a retained state whose topic has a newer one queued is superseded and goes. */
    private boolean requeueAtFront(Publication publication) {
        if (publication.retained()) {
            if (queuedRetained.putIfAbsent(publication.topic(), publication) != null) {
                return false;
            }
        } else {
            queuedResults++;
        }
        queue.addFirst(publication);
        return true;
    }

    /** Publications not yet acknowledged: queued and in flight. */
    synchronized int size() {
        return queue.size() - superseded.size() + inFlight.size();
    }

    synchronized boolean hasQueued() {
        return queue.size() > superseded.size();
    }

    synchronized long dropped() {
        return dropped;
    }
}
