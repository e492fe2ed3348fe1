package org.psametering.headend.crash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;

/**
 * The broker as the head-end's persistent MQTT 5 session sees it: QoS 1 messages to the head-end stay queued until
 * acknowledged, unacknowledged ones come again after a reconnect, and retained public keys are delivered again on
 * every (re)subscription. Keeps the retained topics and every publication of the head-end.
 */
final class FakeBroker implements Publisher {
    record Publication(String topic, byte[] payload, boolean retained) {
    }

    private record Queued(long id, String topic, byte[] payload) {
    }

    private final Map<String, byte[]> retained = new TreeMap<>();
    private final List<Publication> published = new ArrayList<>();
    private final Deque<Queued> toDeliver = new ArrayDeque<>();
    private final Map<Long, Queued> inFlight = new TreeMap<>();
    private long nextId;

    /** The head-end publishes (through the crash points). */
    @Override
    public void publish(String topic, byte[] payload, boolean retain) {
        published.add(new Publication(topic, payload.clone(), retain));
        if (retain) {
            if (payload.length == 0) {
                retained.remove(topic);
            } else {
                retained.put(topic, payload.clone());
            }
        }
    }

    /** A meter publishes to the head-end. */
    void fromMeter(String topic, byte[] payload, boolean retain) {
        if (retain) {
            retained.put(topic, payload.clone());
        }
        toDeliver.add(new Queued(nextId++, topic, payload.clone()));
    }

    boolean hasWork() {
        return !toDeliver.isEmpty();
    }

    /** Everything queued, as one batch; each message stays in flight until its ack runs. */
    List<InboundMessage> deliver(CrashPoints points) {
        List<InboundMessage> batch = new ArrayList<>();
        while (!toDeliver.isEmpty()) {
            Queued q = toDeliver.poll();
            inFlight.put(q.id(), q);
            String site = CrashPoints.site("ack", q.topic(), null);
            batch.add(new InboundMessage(q.topic(), q.payload().clone(), () -> points.callUnchecked("ack", site, () -> inFlight.remove(q.id()))));
        }
        return batch;
    }

    /** The head-end restarted: unacknowledged messages come again, then retained public keys (its subscription). */
    void reconnect() {
        List<Queued> again = new ArrayList<>(inFlight.values());
        inFlight.clear();
        again.forEach(toDeliver::add);
        retained.forEach((topic, payload) -> {
            if (topic.contains("/pubkey/")) {
                toDeliver.add(new Queued(nextId++, topic, payload));
            }
        });
    }

    int unacknowledged() {
        return inFlight.size() + toDeliver.size();
    }

    byte[] retained(String topic) {
        return retained.get(topic);
    }

    List<Publication> published() {
        return published;
    }
}
