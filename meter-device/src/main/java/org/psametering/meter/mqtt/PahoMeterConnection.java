package org.psametering.meter.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.psametering.meter.agent.MeterAgent;
import org.psametering.meter.agent.Outbound;
import org.psametering.meter.config.MqttSettings;
import org.psametering.protocol.BrokerUrls;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin MQTT 5 adapter between one {@link MeterAgent} and a broker, over Paho's async client (a fresh one per network
 * connection, see below).
 *
 * <p>Persistent session (clean start false, session expiry from the settings) so the broker keeps the meter's
 * subscriptions and queued messages while it is away. Reconnecting is automatic, with exponential back-off from 1 s to
 * 2 min, for the first connection as for later drops; it runs on the runtime's shared scheduler rather than Paho's
 * automatic reconnect, which starts a timer thread per client and would cost thousands of threads when a broker
 * outage hits a JVM full of simulated meters. Paho's own message store is in memory only: durability across restarts
 * is the meter's outbox, which re-sends whatever the broker had not acknowledged.
 *
 * <p>Every network connection gets a fresh Paho client object ({@link Link}), never a reused one. Paho 1.2.5 assigns
 * outgoing topic aliases by itself whenever the broker's CONNACK allows them (Mosquitto allows 10, HiveMQ 5), and no
 * option turns that off ({@code topicAliasMaximum} in the connect options is the incoming limit). A QoS 1 publish in
 * flight when the link drops stays in the client's message store and is re-sent on the same object's next connection
 * with the alias only; aliases do not outlive a connection (MQTT 5 §3.3.2.3.4), so the broker closes the connection
 * as a protocol error, on every reconnect, for ever (eclipse-paho/paho.mqtt.java #527, #1104). A fresh client has no
 * store and no aliases, and loses nothing: the broker keeps the session (subscriptions, queued messages) by client id,
 * and the meter's outbox removes an entry only on PUBACK and re-sends the rest on {@link MeterAgent#connected()}. Of
 * the candidate fixes this is the one that needs neither reflection into Paho nor a broker setting we do not control.
 */
public final class PahoMeterConnection implements Outbound, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PahoMeterConnection.class);
    private static final int MAX_RETRY_SECONDS = 120;

    private final MqttSettings settings;
    /** Mutual TLS (ssl:// with mqtt.tls), its files read once so bad ones fail at construction; null otherwise. */
    private final MeterTls.Client tls;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService pahoThreads;
    /** The client of the current (or next) network connection; replaced, never reused, after it was used. */
    private volatile Link link;
    private final java.util.Optional<org.psametering.protocol.trust.CrlFileTrust> tlsCrl;
    private ConnectionEvents agent;
    private volatile boolean closed;
    private int retrySeconds = 1;
    private boolean reconnectScheduled;
    // the link's history for status(), guarded by this
    private long connects;
    private long failedConnects;
    private long tlsRefusals;
    private String lastFailure = "";

    /**
     * @param scheduler   runs the first-connection retries (the meter runtime's shared scheduler)
     * @param pahoThreads optional executor for Paho's internal threads (null: Paho starts its own); note that Paho keeps
     *                    long-running tasks on it for each connected client, so it must not be a small fixed pool
     */
    public PahoMeterConnection(MqttSettings settings, ScheduledExecutorService scheduler, ScheduledExecutorService pahoThreads) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.pahoThreads = pahoThreads;
        MeterTls.Client client = settings.tls() == null ? null : MeterTls.client(settings.tls(), settings.clientId(), java.time.Instant.now());
        this.tls = client;
        this.tlsCrl = client == null ? java.util.Optional.empty() : client.crl();
        BrokerUrls.plainTextWarning(settings.brokerUrl()).ifPresent(warning -> log.warn("meter {}: {}", settings.clientId(), warning));
        this.link = newLink(); // at once, so a bad broker URL fails here rather than on the first connect
    }

    private Link newLink() {
        try {
            MqttAsyncClient client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence(), null, pahoThreads);
            Link fresh = new Link(client);
            client.setCallback(fresh);
            return fresh;
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt.broker: cannot use '" + settings.brokerUrl() + "': " + e.getMessage(), e);
        }
    }

    /** The watcher of {@code mqtt.tls.crlFile}, if one is configured (its reload problems go into the meter's status). */
    public java.util.Optional<org.psametering.protocol.trust.CrlFileTrust> tlsCrl() {
        return tlsCrl;
    }

    /** Starts connecting (asynchronously); the agent hears of it through {@link MeterAgent#connected()}. */
    public void start(MeterAgent meter) {
        start(ConnectionEvents.of(meter));
    }

    /** As {@link #start(MeterAgent)} for anything that takes the connection's events. */
    public synchronized void start(ConnectionEvents meter) {
        if (agent != null) {
            throw new IllegalStateException("already started");
        }
        this.agent = meter;
        connect();
    }

    MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpirySeconds());
        o.setAutomaticReconnect(false); // see the class comment: reconnects run on the shared scheduler
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout(30);
        // the broker drops anything larger than an announcement or key set could be, instead of filling our heap
        o.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
        if (tls != null) {
            // a fresh TLS context per connection, so no TLS session is resumed (see MeterTls.Client); Paho keeps host
            // name verification on: the broker's certificate must name its host
            o.setSocketFactory(tls.socketFactory());
        }
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    private synchronized void connect() {
        reconnectScheduled = false;
        if (closed || link.client.isConnected()) {
            return;
        }
        if (link.used) {
            Link old = link;
            link = newLink(); // first, so whatever the old client still reports while closing is ignored
            old.discard();
        }
        link.used = true;
        try {
            link.client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    synchronized (PahoMeterConnection.this) {
                        retrySeconds = 1; // connectComplete() does the rest
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    connectFailed(cause);
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private synchronized void connectFailed(Throwable cause) {
        if (closed) {
            return;
        }
        failedConnects++;
        String why = ConnectFailure.describe(cause);
        lastFailure = "cannot connect to " + settings.brokerUrl() + ": " + why;
        if (ConnectFailure.tlsRefusal(cause)) {
            // a refused certificate (e.g. the broker's, revoked) stays refused: an operator has to act, hence ERROR
            tlsRefusals++;
            log.error("meter {}: TLS handshake with {} refused ({}); retrying in {} s", settings.clientId(),
                    settings.brokerUrl(), why, retrySeconds);
        } else {
            log.warn("meter {}: cannot connect to {} ({}); retrying in {} s", settings.clientId(), settings.brokerUrl(),
                    why, retrySeconds);
        }
        scheduleReconnect();
    }

    private synchronized void scheduleReconnect() {
        if (closed || reconnectScheduled) {
            return;
        }
        reconnectScheduled = true;
        // jitter, so thousands of meters losing one broker do not all knock again in the same millisecond
        long delayMillis = retrySeconds * 1000L + ThreadLocalRandom.current().nextLong(retrySeconds * 500L + 1);
        scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        retrySeconds = Math.min(retrySeconds * 2, MAX_RETRY_SECONDS);
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, DeliveryListener listener) {
        Link current = link;
        if (!current.client.isConnected()) {
            listener.failed(new IllegalStateException("not connected to " + settings.brokerUrl()));
            return;
        }
        Delivery delivery = new Delivery(listener);
        current.pending.add(delivery);
        try {
            current.client.publish(topic, payload, Topics.QOS, retained, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    current.pending.remove(delivery);
                    delivery.delivered();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    current.pending.remove(delivery);
                    delivery.failed(cause);
                }
            });
        } catch (MqttException | RuntimeException e) {
            current.pending.remove(delivery);
            delivery.failed(e);
        }
    }

    private void connectComplete(Link from, boolean reconnect, String serverUri) {
        synchronized (this) {
            connects++;
        }
        log.info("meter {}: {} to {}", settings.clientId(), reconnect ? "reconnected" : "connected", serverUri);
        List<String> filters = agent.subscriptions();
        int[] qos = filters.stream().mapToInt(f -> Topics.QOS).toArray();
        try {
            // re-subscribing also re-delivers the retained announcement and key set, which resumes any key setup
            from.client.subscribe(filters.toArray(String[]::new), qos);
        } catch (MqttException e) {
            log.error("meter {}: subscribing to {} failed: {}", settings.clientId(), filters, e.getMessage());
        }
        agent.connected();
    }

    private void disconnected(Link from, MqttDisconnectResponse response) {
        // Paho keeps QoS 1 publishes of a dropped connection for its next one, which never comes (see the class
        // comment): their senders hear now that no PUBACK will come, and the outbox re-sends them on the next link
        from.failPending(new IllegalStateException("connection to " + settings.brokerUrl() + " lost before the PUBACK"));
        String why = response.getException() != null ? ConnectFailure.describe(response.getException())
                : String.valueOf(response.getReasonString());
        synchronized (this) {
            lastFailure = "disconnected from " + settings.brokerUrl() + ": " + why;
        }
        log.warn("meter {}: disconnected from {}: {}", settings.clientId(), settings.brokerUrl(), why);
        agent.disconnected();
        scheduleReconnect();
    }

    public boolean isConnected() {
        return link.client.isConnected();
    }

    /** The link's state now and its history since start (for the meter's status). */
    public synchronized LinkStatus status() {
        return new LinkStatus(isConnected(), connects, failedConnects, tlsRefusals, lastFailure);
    }

    @Override
    public void close() {
        closed = true;
        Link last;
        synchronized (this) {
            last = link;
        }
        last.discard();
    }

    /** One Paho client, used for at most one network connection; its events count only while it is the current one. */
    private final class Link implements MqttCallback {
        final MqttAsyncClient client;
        final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
        boolean used; // guarded by the connection's lock

        Link(MqttAsyncClient client) {
            this.client = client;
        }

        private boolean current() {
            return link == this && !closed;
        }

        void failPending(Throwable cause) {
            for (Delivery delivery : pending) {
                pending.remove(delivery);
                delivery.failed(cause);
            }
        }

        /** Disconnects (if still connected) and releases the client; its unacknowledged publishes fail. */
        void discard() {
            try {
                if (client.isConnected()) {
                    // Sends DISCONNECT without quiescing or waiting (Paho's graceful disconnect waits ~100 ms per
                    // client, too long for closing thousands of simulated meters): anything unacknowledged is still
                    // in the outbox and is re-sent on the next connection or start.
                    client.disconnectForcibly(0, 10, true);
                }
            } catch (MqttException e) {
                log.debug("meter {}: disconnect: {}", settings.clientId(), e.getMessage());
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                log.debug("meter {}: close: {}", settings.clientId(), e.getMessage());
            }
            failPending(new IllegalStateException("connection to " + settings.brokerUrl() + " closed before the PUBACK"));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (current()) {
                PahoMeterConnection.this.connectComplete(this, reconnect, serverUri);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (current()) {
                PahoMeterConnection.this.disconnected(this, response);
            } else {
                failPending(new IllegalStateException("connection closed before the PUBACK"));
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            agent.onMessage(topic, message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // outcomes are handled per message by the publish listeners
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("meter {}: MQTT error: {}", settings.clientId(), exception.getMessage());
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication in this protocol
        }
    }

    /** A publish's listener, told exactly once: by the PUBACK, by a failure, or when its connection is gone. */
    private static final class Delivery {
        private final DeliveryListener listener;
        private final AtomicBoolean told = new AtomicBoolean();

        Delivery(DeliveryListener listener) {
            this.listener = listener;
        }

        void delivered() {
            if (told.compareAndSet(false, true)) {
                listener.delivered();
            }
        }

        void failed(Throwable cause) {
            if (told.compareAndSet(false, true)) {
                listener.failed(cause);
            }
        }
    }
}
