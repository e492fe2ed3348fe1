package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.mqtt.MqttTransport;
import org.psametering.meter.agent.Outbound;
import org.psametering.meter.mqtt.ConnectionEvents;
import org.psametering.meter.mqtt.PahoMeterConnection;
import org.psametering.protocol.Topics;

/**
 * A QoS 1 publication in flight when the link drops, to a topic the client published to before. Paho 1.2.5 assigns
 * outgoing topic aliases on its own whenever the broker allows them (Mosquitto: 10) and re-sends such a publication
 * on the next connection of the same client object with the alias only; aliases do not survive a connection (MQTT 5
 * §3.3.2.3.4), so Mosquitto drops the connection as a protocol error, again on every reconnect (eclipse-paho/
 * paho.mqtt.java #527, #1104). Both of our MQTT adapters must come back, stay up and deliver the message.
 */
class TopicAliasReconnectSystemTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = Topics.ROOT + "g-alias/1/result";

    @Test
    void theHeadEndTransportDeliversAPublicationThatWasInFlightAtTheDrop(@TempDir Path dir) throws Exception {
        ExecutorService core = Executors.newSingleThreadExecutor();
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             TcpRelay link = new TcpRelay(broker.port());
             Subscriber subscriber = Subscriber.start(broker.url(), TOPIC)) {
            MqttTransport transport = new MqttTransport(new MqttSettings(link.url(), "head-end-alias", null, null, 600L), m -> m.ack().run());
            try {
                transport.onSubscribed(() -> core.execute(transport::drain));
                transport.onDrainable(() -> core.execute(transport::drain));
                transport.start(30);
                core.submit(() -> transport.publish(TOPIC, bytes("r1"), false)).get();
                await("r1 reaches the subscriber", () -> subscriber.received.contains("r1"));

                link.hold(); // r2 goes out with the alias Paho gave the topic for r1, and gets no PUBACK
                core.submit(() -> transport.publish(TOPIC, bytes("r2"), false)).get();
                link.cut();
                link.release();
                link.restore();

                await("r2, in flight at the drop, reaches the subscriber", () -> subscriber.received.contains("r2"));
                core.submit(() -> transport.publish(TOPIC, bytes("r3"), false)).get();
                await("r3, published after the reconnect, reaches the subscriber", () -> subscriber.received.contains("r3"));
                assertTrue(transport.isConnected(), "the link stays up: " + transport.status());
                assertEquals(1, transport.status().reconnects(), "one reconnect, not a protocol-error loop: " + transport.status());
            } finally {
                transport.close();
                core.shutdownNow();
            }
        }
    }

    @Test
    void theMeterConnectionDeliversAPublicationThatWasInFlightAtTheDrop(@TempDir Path dir) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             TcpRelay link = new TcpRelay(broker.port());
             Subscriber subscriber = Subscriber.start(broker.url(), TOPIC)) {
            PahoMeterConnection connection = new PahoMeterConnection(
                    org.psametering.meter.config.MqttSettings.of(link.url(), "meter-alias"), scheduler, null);
            MiniOutbox outbox = new MiniOutbox(connection);
            try {
                connection.start(outbox);
                await("the meter connects", connection::isConnected);
                outbox.send("m1");
                await("m1 is acknowledged", () -> outbox.unacknowledged.isEmpty());

                link.hold(); // m2 goes out with the alias Paho gave the topic for m1, and gets no PUBACK
                outbox.send("m2");
                link.cut();
                link.release();
                link.restore();

                await("m2, in flight at the drop, reaches the subscriber", () -> subscriber.received.contains("m2"));
                outbox.send("m3");
                await("m3 is acknowledged and reaches the subscriber",
                        () -> outbox.unacknowledged.isEmpty() && subscriber.received.contains("m3"));
                assertTrue(connection.isConnected(), "the connection stays up");
                assertEquals(2, outbox.connects.get(), "one reconnect, not a protocol-error loop");
            } finally {
                connection.close();
                scheduler.shutdownNow();
            }
        }
    }

    /** The meter's outbox in miniature: a message leaves it only on PUBACK; every (re)connect re-sends the rest. */
    private static final class MiniOutbox implements ConnectionEvents {
        final Map<String, Boolean> unacknowledged = new ConcurrentHashMap<>();
        final AtomicInteger connects = new AtomicInteger();
        private final PahoMeterConnection connection;

        MiniOutbox(PahoMeterConnection connection) {
            this.connection = connection;
        }

        void send(String payload) {
            unacknowledged.put(payload, true);
            publish(payload);
        }

        private void publish(String payload) {
            connection.publish(TOPIC, bytes(payload), false, new Outbound.DeliveryListener() {
                @Override
                public void delivered() {
                    unacknowledged.remove(payload);
                }

                @Override
                public void failed(Throwable cause) {
                    // stays unacknowledged: re-sent on the next connect
                }
            });
        }

        @Override
        public List<String> subscriptions() {
            return List.of(Topics.ROOT + "g-alias/+/keyset");
        }

        @Override
        public void connected() {
            connects.incrementAndGet();
            unacknowledged.keySet().forEach(this::publish);
        }

        @Override
        public void disconnected() {
        }

        @Override
        public void onMessage(String topic, byte[] payload) {
        }
    }

    /** An outside observer, directly on the broker. */
    private record Subscriber(MqttClient client, List<String> received) implements AutoCloseable {
        static Subscriber start(String url, String topic) throws MqttException {
            MqttClient client = new MqttClient(url, "observer-" + UUID.randomUUID(), new MemoryPersistence());
            List<String> received = new CopyOnWriteArrayList<>();
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                    received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
                }
            });
            client.connect(new MqttConnectionOptions());
            client.subscribe(topic, Topics.QOS);
            return new Subscriber(client, received);
        }

        @Override
        public void close() throws MqttException {
            client.disconnect();
            client.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
