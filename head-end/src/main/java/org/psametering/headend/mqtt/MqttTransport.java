package org.psametering.headend.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.LogSafe;
import org.psametering.protocol.BrokerUrls;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 binding over Paho's async client: persistent session (clean start false, session expiry), QoS 1, manual
 * acknowledgements, and a Maximum Packet Size so the broker never forwards more than a blinded-key frame.
 *
 * <p>It owns its reconnect loop instead of using Paho's automatic reconnect and offline buffer (see {@link Outbox}
 * for why): every connection, the first and each later one, is connect → subscribe → {@link #onSubscribed} (the
 * owner republishes its retained state) → drain the outbox. Only then is the link UP; a broker restarted without
 * persistence has forgotten our subscriptions and retained messages, and both are restored whatever was queued.
 * All attempts run on one thread with back-off ({@link ReconnectBackoff}), longer after a session takeover.
 *
 * <p>An inbound message is acknowledged only when the core runs its ack, and only on the connection it arrived on:
 * packet ids restart on a new connection (a broker that lost its state numbers from 1 again), so a late ack could
 * otherwise acknowledge a different, unprocessed message. A message whose connection is gone stays unacknowledged
 * and comes again; the core refuses the copy as a duplicate.
 *
 * <p>Every network connection gets a fresh Paho client object ({@link Link}), never a reused one. Paho 1.2.5 assigns
 * outgoing topic aliases by itself whenever the broker's CONNACK allows them (Mosquitto allows 10, HiveMQ 5), and no
 * option turns that off ({@code topicAliasMaximum} in the connect options is the incoming limit). A QoS 1 publish in
 * flight when the link drops stays in the client's message store and is re-sent on the same object's next connection
 * with the alias only; aliases do not outlive a connection (MQTT 5 §3.3.2.3.4), so the broker closes the connection
 * as a protocol error, on every reconnect, for ever (eclipse-paho/paho.mqtt.java #527, #1104): the head-end would
 * hear no ciphertext again while the broker queues them. A fresh client has no store and no aliases; the broker keeps
 * the session (subscriptions, queued messages) by client id; and nothing of ours is lost because a publication stays
 * in the {@link Outbox} until its PUBACK and is requeued when its connection is replaced. Of the candidate fixes this
 * one needs neither reflection into Paho nor a broker setting we do not control.
 */
public final class MqttTransport implements Publisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
    /** Unacknowledged messages the broker may have in flight to us: the ingest batch size depends on it. */
    private static final int RECEIVE_MAXIMUM = 65_535;
    /** Results kept while disconnected: a week of 15-minute results for ~15 groups. */
    private static final int OUTBOX_CAPACITY = 10_000;
    /** MQTT 5 DISCONNECT reason code "Session taken over". */
    static final int SESSION_TAKEN_OVER = 0x8E;
    private static final int OPERATION_TIMEOUT_SECONDS = 10;

    private final MqttSettings settings;
    private final java.util.List<String> filters;
    /** Mutual TLS to the broker (mqtt.tls) with the watcher of its CRL file; one per instance, shared by its sessions. */
    private final java.util.Optional<HeadEndTls.Client> tls;
    /** The client of the current (or next) network connection; replaced, never reused, once it was used. */
    private volatile Link link;
    private final Consumer<InboundMessage> sink;
    private final Outbox outbox = new Outbox(OUTBOX_CAPACITY);
    private final ReconnectBackoff backoff = new ReconnectBackoff();
    private final FlapDetector flaps = new FlapDetector();
    private final ScheduledExecutorService connector =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("psa-mqtt-connect").daemon().factory());
    private final AtomicLong sessionTakeovers = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean reconnectPending = new AtomicBoolean();
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private volatile Runnable onSubscribed = () -> { };
    private volatile Runnable onDrainable = () -> { };
    private volatile java.util.function.BooleanSupplier takeoverExpected = () -> false;
    private volatile boolean connected;
    private volatile boolean subscribed;
    private volatile boolean everConnected;
    private volatile boolean closed;
    private volatile String downReason = "not connected yet";

    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink) {
        this(settings, sink, java.util.List.of(Topics.allPublicKeys(), Topics.allBlindedKeys(), Topics.allCiphertexts(),
                Topics.allRecoveryAnswers()));
    }

    /**
     * Subscribing to {@code filters} only (every group's inbound topics by default); none: a link that only publishes
     * (with several head-ends, {@link GroupSubscriptions} hears each owned group on its own session). Builds the TLS
     * client of {@code settings.tls()}, if any: pass it ({@link #tls()}) to the instance's other sessions.
     */
    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink, java.util.List<String> filters) {
        // TLS files are read once, here, so a wrong file stops the start with a clear message
        this(settings, sink, filters, settings.tls() == null ? java.util.Optional.empty() : java.util.Optional.of(
                HeadEndTls.mqttClient(settings.tls(), java.util.Optional.ofNullable(settings.username()), java.time.Instant.now())));
    }

    /**
     * As above with the instance's TLS client {@code tls} (the one of {@code settings.tls()}), which every session of one
     * head-end shares: one watcher of {@code mqtt.tls.crlFile}, the one {@code /health} and the metrics report, whichever
     * session's handshake finds the file changed or broken.
     */
    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink, java.util.List<String> filters,
                         java.util.Optional<HeadEndTls.Client> tls) {
        if (tls.isPresent() != (settings.tls() != null)) {
            throw new IllegalArgumentException("a TLS client is needed exactly when mqtt.tls is configured");
        }
        this.filters = java.util.List.copyOf(filters);
        this.settings = settings;
        this.sink = sink;
        this.tls = tls;
        BrokerUrls.plainTextWarning(settings.broker()).ifPresent(LOG::warn);
        if (!PahoDecoding.bulkReads()) {
            LOG.warn("Paho's own CountingInputStream is in use (the head-end's jar is not ahead of Paho's on the class path):"
                    + " large messages such as blinded keys are decoded one byte per call, several times slower");
        }
        this.link = newLink(); // at once, so a bad broker URL fails here
    }

    private Link newLink() {
        try {
            // in-flight state in memory: what matters across restarts is in the database (see Outbox)
            MqttAsyncClient client = new MqttAsyncClient(settings.broker(), settings.clientId(), new MemoryPersistence());
            client.setManualAcks(true);
            Link fresh = new Link(client);
            client.setCallback(fresh);
            return fresh;
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot create MQTT client for " + settings.broker() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs after every successful subscription, first connection included, on the connection thread. The owner
     * republishes its retained state (a broker restarted without persistence lost it) and then calls {@link #drain}.
     */
    public void onSubscribed(Runnable action) {
        this.onSubscribed = action;
    }

    /** Runs when queued publications can go out again (in-flight window freed); the owner then calls {@link #drain}. */
    public void onDrainable(Runnable action) {
        this.onDrainable = action;
    }

    /**
     * With several head-ends: {@code expected} is true when another client may rightly take this session over, i.e. this
     * instance no longer owns the session's group (its new owner connects with the same client id). Such a takeover is
     * logged as what it is, not as a client-id clash, and not answered by connecting again: the owner closes the link.
     */
    public void expectTakeoverWhen(java.util.function.BooleanSupplier expected) {
        this.takeoverExpected = expected;
    }

    /**
     * Connects and subscribes, waiting up to {@code timeoutSeconds}; throws if that fails. Later losses are repaired by
     * the reconnect loop.
     */
    public void start(int timeoutSeconds) {
        String failure;
        try {
            failure = connector.submit(this::attempt).get(timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause().toString();
        } catch (TimeoutException e) {
            failure = "no answer within " + timeoutSeconds + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failure != null) {
            throw new IllegalStateException(failure.startsWith("cannot connect to MQTT broker") ? failure
                    : "cannot connect to MQTT broker " + settings.broker() + ": " + failure);
        }
    }

    /** The TLS client (with the watcher of {@code mqtt.tls.crlFile}, if configured), if {@code mqtt.tls} is configured. */
    public java.util.Optional<HeadEndTls.Client> tls() {
        return tls;
    }

    /** The watcher of {@code mqtt.tls.crlFile}, if one is configured. */
    public java.util.Optional<org.psametering.protocol.trust.CrlFileTrust> tlsCrl() {
        return tls.flatMap(HeadEndTls.Client::crl);
    }

    MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(false); // our own loop: see the class comment
        options.setReceiveMaximum(RECEIVE_MAXIMUM);
        options.setMaximumPacketSize((long) PacketLimits.HEAD_END_MAX_PACKET_BYTES);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(OPERATION_TIMEOUT_SECONDS);
        if (settings.broker().startsWith("tcp://")) {
            // plain TCP only: for ssl:// Paho needs an SSLSocketFactory and keeps its own
            options.setSocketFactory(new BufferedSocketFactory());
        } else if (tls.isPresent()) {
            // a fresh TLS context per connection, so no TLS session is resumed (see HeadEndTls.Client); Paho keeps host
            // name verification on: the broker's certificate must name its host
            options.setSocketFactory(tls.get().socketFactory());
        }
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }

    /** One connect + subscribe on the connection thread; null when the link is up, else why not. */
    private String attempt() {
        if (closed) {
            return "closed";
        }
        if (link.client.isConnected() && subscribed) {
            return null;
        }
        try {
            if (!link.client.isConnected()) {
                // a fresh client for each connection (see the class comment), in place before connecting: the broker
                // sends queued messages right after CONNACK, and their acks must go out on this connection
                replaceLink();
                link.client.connect(options()).waitForCompletion(OPERATION_TIMEOUT_SECONDS * 1000L);
            }
        } catch (MqttException e) {
            flaps.connectFailed();
            return down("cannot connect to MQTT broker " + settings.broker() + ": " + why(e));
        }
        connected = true;
        try {
            if (!filters.isEmpty()) {
                IMqttToken token = link.client.subscribe(filters.stream()
                        .map(filter -> new MqttSubscription(filter, Topics.QOS)).toArray(MqttSubscription[]::new));
                token.waitForCompletion(OPERATION_TIMEOUT_SECONDS * 1000L);
                int[] codes = token.getReasonCodes();
                if (codes == null || Arrays.stream(codes).anyMatch(code -> code >= 0x80)) {
                    disconnectQuietly();
                    return down("the broker refused the subscriptions (reason codes " + Arrays.toString(codes) + ")");
                }
            }
        } catch (MqttException e) {
            disconnectQuietly();
            return down("cannot subscribe at " + settings.broker() + ": " + e.getMessage());
        }
        if (!link.client.isConnected()) {
            // lost between SUBACK and here: lost() has already scheduled the next attempt
            return down("connection lost right after subscribing");
        }
        subscribed = true;
        downReason = null;
        backoff.connected();
        flaps.up(System.nanoTime());
        if (everConnected) {
            reconnects.incrementAndGet();
            LOG.info("MQTT link restored: reconnected to {} and subscribed; republishing retained state and {} queued publication(s)",
                    settings.broker(), outbox.size());
        } else {
            LOG.info("MQTT link up: connected to {} as {} and subscribed", settings.broker(), settings.clientId());
        }
        everConnected = true;
        onSubscribed.run();
        return null;
    }

    /** Retires a used client (its in-flight publications go back to the outbox) for a fresh one; on the connection thread. */
    private void replaceLink() {
        Link old = link;
        if (!old.used) {
            old.used = true;
            return;
        }
        Link fresh = newLink();
        fresh.used = true;
        link = fresh; // first, so whatever the old client still reports while closing is ignored
        old.discard(1_000); // not connected any more: this only releases its threads
        int requeued = outbox.requeueInFlight();
        if (requeued > 0) {
            LOG.info("MQTT: {} publication(s) without PUBACK when the last connection dropped are queued again", requeued);
        }
    }

    /**
     * Paho's message and its cause's: for a refused TLS handshake Paho says only "Untranslated MqttException - RC: 0",
     * the cause says why (e.g. the broker's certificate is revoked).
     */
    private static String why(MqttException e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? e.getMessage() : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    private String down(String reason) {
        connected = link.client.isConnected();
        subscribed = false;
        downReason = reason;
        return reason;
    }

    private void disconnectQuietly() {
        try {
            link.client.disconnect().waitForCompletion(OPERATION_TIMEOUT_SECONDS * 1000L);
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.getMessage());
        }
        connected = false;
    }

    private void scheduleReconnect(boolean takeover) {
        if (closed || !everConnected || !reconnectPending.compareAndSet(false, true)) {
            return;
        }
        long delay = ReconnectBackoff.withJitter(backoff.nextBaseMillis(takeover));
        downReason = downReason + "; next attempt in " + Math.round(delay / 1000.0) + " s";
        connector.schedule(() -> {
            reconnectPending.set(false);
            String failure = attempt();
            if (failure != null && !closed) {
                LOG.warn("MQTT link still down: {}", failure);
                scheduleReconnect(false);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Queues a publication and sends what the link allows; call from the core thread only (it keeps their order). */
    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        outbox.add(new Publication(topic, payload, retained));
        drain();
    }

    /** Sends queued publications in order while the link is up; call from the core thread only. */
    public void drain() {
        drainRequested.set(false);
        Publication next;
        while (subscribed && (next = outbox.peek()) != null) {
            Link current = link;
            Publication sent = next;
            outbox.sending(sent); // before publishing: the PUBACK may come before publish() returns
            try {
                current.client.publish(sent.topic(), sent.payload(), Topics.QOS, sent.retained(), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        outbox.acknowledged(sent);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        if (current == link && current.client.isConnected()) {
                            // an error reason code in the PUBACK: the broker will refuse a copy just the same
                            outbox.refused(sent);
                            LOG.warn("MQTT: the broker refused the publication on {}: {}", LogSafe.text(sent.topic()), cause.getMessage());
                        }
                        // else its connection is gone: requeued and sent again on the next one
                    }
                });
            } catch (MqttException e) {
                outbox.notSent(sent);
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    LOG.debug("MQTT publish of {} deferred: {}", LogSafe.text(next.topic()), e.getMessage());
                }
                // stays queued: sent when the in-flight window frees (deliveryComplete) or after the reconnect
                return;
            }
        }
    }

    public LinkStatus status() {
        boolean up = connected && subscribed;
        return new LinkStatus(connected, subscribed, up ? null : downReason, sessionTakeovers.get(), reconnects.get(), outbox.size(),
                outbox.dropped());
    }

    public boolean isConnected() {
        return status().up();
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        link.discard(5_000);
    }

    /** One Paho client, used for at most one network connection; its events count only while it is the current one. */
    private final class Link implements MqttCallback {
        final MqttAsyncClient client;
        /** Set on the connection thread when it first connects; a used link is replaced before the next connect. */
        volatile boolean used;

        Link(MqttAsyncClient client) {
            this.client = client;
        }

        private boolean current() {
            return link == this && !closed;
        }

        /** Disconnects (waiting up to {@code waitMillis}) if still connected, and releases the client. */
        void discard(long waitMillis) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(waitMillis);
                }
            } catch (MqttException e) {
                LOG.debug("MQTT disconnect of a retired client: {}", e.getMessage());
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.warn("MQTT close: {}", e.getMessage());
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // attempt() does the rest: Paho reconnects nothing by itself here
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int id = message.getId();
            int qos = message.getQos();
            sink.accept(new InboundMessage(topic, message.getPayload(), () -> ack(id, qos, this)));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (current()) {
                lost(response);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            if (current() && outbox.hasQueued() && drainRequested.compareAndSet(false, true)) {
                onDrainable.run();
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    /**
     * The link went down: classify why, say so at once (WARN, or ERROR for a takeover) and schedule the reconnect; a
     * takeover the owner expects ({@link #expectTakeoverWhen}) is logged at INFO and not answered.
     */
    void lost(MqttDisconnectResponse response) {
        connected = false;
        subscribed = false;
        boolean announced = response.getException() == null && response.getReturnCode() == SESSION_TAKEN_OVER;
        FlapDetector.Verdict verdict = flaps.lost(System.nanoTime());
        boolean takeover = announced || verdict == FlapDetector.Verdict.FLAPPING;
        if (takeover && takeoverExpected.getAsBoolean()) {
            downReason = "session taken over by the group's new owner (ownership moved to another instance; expected during a takeover)";
            LOG.info("MQTT session {} DOWN: {}; not reconnecting", settings.clientId(), downReason);
            return;
        }
        if (takeover) {
            sessionTakeovers.incrementAndGet();
            downReason = announced
                    ? "session taken over by another client with id " + settings.clientId()
                    : "session taken over by another client with id " + settings.clientId() + " (suspected: the broker closed the "
                    + "connection right after each of the last " + FlapDetector.LIMIT + " connects)";
            LOG.error("MQTT link DOWN: {} at {}: two head-ends (or another program) use the same client id; backing off before "
                    + "connecting again, fix mqtt.clientId", downReason, settings.broker());
        } else {
            if (verdict == FlapDetector.Verdict.LONG_LIVED) {
                backoff.lostForAnotherReason(); // a link that held for a while ends a takeover streak
            }
            String why = response.getException() != null ? response.getException().getMessage()
                    : "broker sent DISCONNECT, reason code 0x" + Integer.toHexString(response.getReturnCode())
                    + (response.getReasonString() == null ? "" : " (" + LogSafe.text(response.getReasonString()) + ")");
            downReason = "connection to " + settings.broker() + " lost: " + why;
            LOG.warn("MQTT link DOWN: {}; reconnecting", downReason);
        }
        if (!closed) {
            scheduleReconnect(takeover);
        }
    }

    private void ack(int id, int qos, Link arrivedOn) {
        if (qos == 0) {
            return;
        }
        if (arrivedOn != link || !arrivedOn.client.isConnected()) {
            // the connection it came on is gone: the broker redelivers it (a duplicate to the core then), and this
            // id may now name a different message
            return;
        }
        try {
            arrivedOn.client.messageArrivedComplete(id, qos);
        } catch (MqttException e) {
            // the broker redelivers after reconnect; the core rejects it as a duplicate then
            LOG.warn("cannot acknowledge message {}: {}", id, e.getMessage());
        }
    }
}
