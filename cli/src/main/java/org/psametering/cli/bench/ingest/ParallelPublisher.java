package org.psametering.cli.bench.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;

/**
 * Publishes many meters' messages over a few MQTT connections, QoS 1, with a bounded window of unacknowledged messages per
 * connection. Ten thousand Paho clients in one JVM would measure thread scheduling, not the head-end; the broker and
 * head-end see the same topics and payloads either way.
 */
public final class ParallelPublisher implements LoadGenerator {
    /** One message to publish. */
    public record Outgoing(String topic, byte[] payload, boolean retained) {
    }

    /** When publishing started and when the last message was handed to the network, in {@link System#nanoTime()}. */
    public record Timing(long firstSentNanos, long lastSentNanos, long lastAckedNanos) {
    }

    private static final int WINDOW = 1000;

    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final List<Semaphore> windows = new ArrayList<>();

    public ParallelPublisher(String brokerUrl, int connections) throws MqttException {
        this(brokerUrl, connections, null);
    }

    /** With {@code tls} (null for plain TCP) on every connection. */
    public ParallelPublisher(String brokerUrl, int connections, javax.net.SocketFactory tls) throws MqttException {
        for (int i = 0; i < connections; i++) {
            MqttAsyncClient client = new MqttAsyncClient(brokerUrl, "psa-bench-" + i + "-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setReceiveMaximum(WINDOW);
            options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
            if (tls != null) {
                options.setSocketFactory(tls);
            }
            client.connect(options).waitForCompletion(30_000);
            clients.add(client);
            windows.add(new Semaphore(WINDOW));
        }
    }

    /** Publishes {@code count} messages made on demand (so 10 000 large key messages need not sit in memory at once). */
    @Override
    public Timing publishAll(int count, IntFunction<Outgoing> messageAt) throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger errors = new AtomicInteger();
        long first = System.nanoTime();
        long[] lastAck = new long[1];
        for (int i = 0; i < count; i++) {
            int c = i % clients.size();
            Outgoing out = messageAt.apply(i);
            Semaphore window = windows.get(c);
            window.acquire();
            MqttMessage message = new MqttMessage(out.payload(), Topics.QOS, out.retained(), null);
            try {
                clients.get(c).publish(out.topic(), message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        window.release();
                        synchronized (lastAck) {
                            lastAck[0] = System.nanoTime();
                        }
                        acked.countDown();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable exception) {
                        window.release();
                        errors.incrementAndGet();
                        failure.compareAndSet(null, exception);
                        acked.countDown();
                    }
                });
            } catch (MqttException e) {
                window.release();
                throw new IllegalStateException("publishing to " + out.topic() + " failed: " + e.getMessage(), e);
            }
        }
        long lastSent = System.nanoTime();
        if (!acked.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the broker did not acknowledge " + acked.getCount() + " messages within 5 minutes");
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " publishes failed, first: " + failure.get());
        }
        synchronized (lastAck) {
            return new Timing(first, lastSent, lastAck[0]);
        }
    }

    @Override
    public void close() {
        for (MqttAsyncClient client : clients) {
            try {
                client.disconnect().waitForCompletion(5_000);
                client.close();
            } catch (MqttException e) {
                // benchmark teardown: nothing to save
            }
        }
    }
}
