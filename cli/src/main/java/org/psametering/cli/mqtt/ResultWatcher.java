package org.psametering.cli.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.Topics;

/**
 * Listens to a group's {@code result} topic like any outside observer would (the demo and the tests need nothing from the
 * head-end's internals) and keeps the newest result per label; an INCOMPLETE step may later be republished COMPLETE.
 * It also notes when each result arrived, for the ingest benchmark's delay figure.
 */
public final class ResultWatcher implements AutoCloseable {
    /** A result and the {@link System#nanoTime()} at which it arrived. */
    public record Received(ResultMessage result, long arrivedNanos) {
    }

    private final MqttClient client;
    private final String topic;
    private final Map<Long, Received> byLabel = new ConcurrentHashMap<>();
    private final List<Received> history = new CopyOnWriteArrayList<>();
    private final AtomicLong malformed = new AtomicLong();
    private final Object changed = new Object();

    private ResultWatcher(MqttClient client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /** Connects to {@code brokerUrl} and subscribes to the results of {@code group}; returns once subscribed. */
    public static ResultWatcher start(String brokerUrl, String group) {
        return start(brokerUrl, group, null);
    }

    /** As {@link #start(String, String)} over TLS with {@code tls} (an ssl:// broker that wants a client certificate). */
    public static ResultWatcher start(String brokerUrl, String group, javax.net.SocketFactory tls) {
        String topic = Topics.result(group);
        try {
            MqttClient client = new MqttClient(brokerUrl, "psa-results-" + UUID.randomUUID(), new MemoryPersistence());
            ResultWatcher watcher = new ResultWatcher(client, topic);
            client.setCallback(watcher.new Callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            // a persistent session, so results published while the broker restarts are still delivered afterwards
            options.setCleanStart(false);
            options.setSessionExpiryInterval(600L);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
            if (tls != null) {
                options.setSocketFactory(tls);
            }
            client.connect(options);
            client.subscribe(topic, Topics.QOS);
            return watcher;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot watch " + topic + " on " + brokerUrl + ": " + e.getMessage(), e);
        }
    }

    /** The newest result for {@code label}, if any arrived. */
    public Optional<Received> latest(long label) {
        return Optional.ofNullable(byLabel.get(label));
    }

    /** Every label's newest result so far. */
    public Map<Long, Received> all() {
        return Map.copyOf(byLabel);
    }

    /** Every result received for {@code label}, oldest first (an INCOMPLETE one may be followed by a COMPLETE one). */
    public List<ResultMessage> history(long label) {
        return history.stream().map(Received::result).filter(r -> r.label() == label).toList();
    }

    /** Result messages that failed to parse (a correct head-end never sends one). */
    public long malformed() {
        return malformed.get();
    }

    /**
     * Waits until the newest result for {@code label} satisfies {@code wanted}, at most {@code timeout}; returns the newest
     * result then (which may not satisfy it, or be empty, on timeout).
     */
    public Optional<Received> await(long label, Predicate<ResultMessage> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                Received current = byLabel.get(label);
                if (current != null && wanted.test(current.result())) {
                    return Optional.of(current);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.ofNullable(current);
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // closing an observer: nothing to save
        }
    }

    private final class Callback implements MessageCallback {
        @Override
        public void messageArrived(String ignoredTopic, MqttMessage message) {
            long now = System.nanoTime();
            try {
                ResultMessage result = ResultMessage.fromJson(message.getPayload());
                Received received = new Received(result, now);
                byLabel.put(result.label(), received);
                history.add(received);
            } catch (MalformedMessageException e) {
                malformed.incrementAndGet();
            }
            synchronized (changed) {
                changed.notifyAll();
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                // a broker without persistence forgets the session; subscribing again is harmless otherwise
                new Thread(() -> {
                    try {
                        client.subscribe(topic, Topics.QOS);
                    } catch (MqttException ignored) {
                        // the next reconnect tries again
                    }
                }, "result-resubscribe").start();
            }
        }




    }
}
