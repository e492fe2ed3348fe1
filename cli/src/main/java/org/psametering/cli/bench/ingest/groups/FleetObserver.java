package org.psametering.cli.bench.ingest.groups;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;

/**
 * What the simulated fleet hears from the head-end, over ONE MQTT connection for all groups: every group's retained
 * announcement and key set (kept as received; the fleet checks their signatures where a meter would) and every result
 * with its arrival time. The Paho callback only stores bytes, so a slow check never holds up delivery.
 */
final class FleetObserver implements AutoCloseable {
    /** A result and the {@link System#nanoTime()} at which it arrived. */
    record Arrived(ResultMessage result, long nanos) {
    }

    private final MqttClient client;
    private final Map<String, byte[]> announcements = new ConcurrentHashMap<>();
    private final Map<String, byte[]> keySets = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Arrived>> results = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private final Object changed = new Object();

    FleetObserver(String brokerUrl) throws MqttException {
        client = new MqttClient(brokerUrl, "psa-bench-fleet-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback((MessageCallback) this::arrived);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
        options.setReceiveMaximum(1000);
        client.connect(options);
        client.subscribe(new String[]{Topics.allAnnouncements(), Topics.ROOT + "+/+/keyset", Topics.ROOT + "+/result"},
                new int[]{Topics.QOS, Topics.QOS, Topics.QOS});
    }

    private void arrived(String topicName, MqttMessage message) {
        long now = System.nanoTime();
        byte[] payload = message.getPayload();
        try {
            Topic topic = Topics.parse(topicName);
            if (topic.kind() == TopicKind.ANNOUNCE && payload.length > 0) {
                announcements.put(topic.group(), payload);
            } else if (topic.kind() == TopicKind.KEYSET && payload.length > 0) {
                keySets.put(topic.group() + "/" + topic.epoch(), payload);
            } else if (topic.kind() == TopicKind.RESULT) {
                ResultMessage result = ResultMessage.fromJson(payload);
                results.computeIfAbsent(result.label(), l -> new ConcurrentHashMap<>()).put(result.group(), new Arrived(result, now));
            }
        } catch (MalformedMessageException e) {
            malformed.incrementAndGet();
        }
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** The group's newest retained announcement as received (signed), or null. */
    byte[] announcement(String group) {
        return announcements.get(group);
    }

    /** The key set of (group, epoch) as received (signed), or null. */
    byte[] keySet(String group, long epoch) {
        return keySets.get(group + "/" + epoch);
    }

    /** Every group's newest result for {@code label} so far. */
    Map<String, Arrived> results(long label) {
        return results.getOrDefault(label, Map.of());
    }

    long malformed() {
        return malformed.get();
    }

    /** Waits until {@code condition} holds, re-checking whenever a message arrives; false on timeout. */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.wait(Math.max(1, Math.min(200, left / 1_000_000)));
            }
            return true;
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect();
            client.close();
        } catch (MqttException e) {
            // benchmark teardown
        }
    }
}
