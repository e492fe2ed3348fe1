package org.psametering.cli.bench.ingest;

import org.psametering.cli.trust.Provisioning;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;

/** Follows a group's retained announcement, as a meter would, to learn the epoch, the head-end's key and activation. */
public final class AnnouncementWatcher implements AutoCloseable {
    private static final IdentityVerifier VERIFIER = Provisioning.shared().verifier(java.time.Clock.systemUTC());
    private final MqttClient client;
    private final AtomicReference<GroupAnnouncement> latest = new AtomicReference<>();
    private final Object changed = new Object();

    public AnnouncementWatcher(String brokerUrl, String group) throws MqttException {
        this(brokerUrl, group, null);
    }

    /** With {@code tls} (null for plain TCP). */
    public AnnouncementWatcher(String brokerUrl, String group, javax.net.SocketFactory tls) throws MqttException {
        client = new MqttClient(brokerUrl, "psa-bench-announce-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback((MessageCallback) (topic, message) -> {
            if (message.getPayload().length > 0) {
                // checked as a meter checks it: the head-end's signature under the run's CA
                latest.set(GroupAnnouncement.fromJson(SignedMessage.parse(message.getPayload()).open(SignedMessage.Kind.ANNOUNCEMENT,
                        VERIFIER, ThrowawayPki.HEAD_END_NAME)));
                synchronized (changed) {
                    changed.notifyAll();
                }
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
        if (tls != null) {
            options.setSocketFactory(tls); // null: plain TCP
        }
        client.connect(options);
        client.subscribe(Topics.announce(group), Topics.QOS);
    }

    public GroupAnnouncement await(Predicate<GroupAnnouncement> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                GroupAnnouncement current = latest.get();
                if (current != null && wanted.test(current)) {
                    return current;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the head-end's announcement did not reach the expected state within " + timeout
                            + " (last seen: " + current + ")");
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
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
