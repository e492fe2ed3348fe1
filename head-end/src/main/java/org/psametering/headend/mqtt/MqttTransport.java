package org.psametering.headend.mqtt;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.BrokerUrls;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.CrlFileTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 binding over Paho's async client: persistent session (clean start false, session expiry), QoS 1, manual
 * acknowledgements, and a Maximum Packet Size so the broker never forwards more than a blinded-key frame
 * ({@link ConnectOptions}). This class wires its parts: {@link ConnectionLoop} (connect, subscribe through
 * {@link Subscriber}, reconnect, what {@code /health} reports), {@link OutboxSender} (publishing), {@link InboundDispatch}
 * (received messages and their acks) and one {@link PahoLink} per network connection.
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
 * <p>Every network connection gets a fresh Paho client object ({@link PahoLink}), never a reused one. Paho 1.2.5 assigns
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
    /** Results kept while disconnected: a week of 15-minute results for ~15 groups. */
    private static final int OUTBOX_CAPACITY = 10_000;
    /** MQTT 5 DISCONNECT reason code "Session taken over". */
    static final int SESSION_TAKEN_OVER = LinkLoss.SESSION_TAKEN_OVER;

    private final MqttSettings settings;
    /** Mutual TLS to the broker (mqtt.tls) with the watcher of its CRL file; one per instance, shared by its sessions. */
    private final Optional<HeadEndTls.Client> tls;
    private final ConnectionLoop connection;
    private final OutboxSender sender;
    private final InboundDispatch inbound;

    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink) {
        this(settings, sink, List.of(Topics.allPublicKeys(), Topics.allBlindedKeys(), Topics.allCiphertexts(),
                Topics.allRecoveryAnswers()));
    }

    /**
     * Subscribing to {@code filters} only (every group's inbound topics by default); none: a link that only publishes
     * (with several head-ends, {@link GroupSubscriptions} hears each owned group on its own session). Builds the TLS
     * client of {@code settings.tls()}, if any: pass it ({@link #tls()}) to the instance's other sessions.
     */
    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink, List<String> filters) {
        // TLS files are read once, here, so a wrong file stops the start with a clear message
        this(settings, sink, filters, settings.tls() == null ? Optional.empty() : Optional.of(
                HeadEndTls.mqttClient(settings.tls(), Optional.ofNullable(settings.username()), java.time.Instant.now())));
    }

    /**
     * As above with the instance's TLS client {@code tls} (the one of {@code settings.tls()}), which every session of one
     * head-end shares: one watcher of {@code mqtt.tls.crlFile}, the one {@code /health} and the metrics report, whichever
     * session's handshake finds the file changed or broken.
     */
    public MqttTransport(MqttSettings settings, Consumer<InboundMessage> sink, List<String> filters, Optional<HeadEndTls.Client> tls) {
        if (tls.isPresent() != (settings.tls() != null)) {
            throw new IllegalArgumentException("a TLS client is needed exactly when mqtt.tls is configured");
        }
        this.settings = settings;
        this.tls = tls;
        BrokerUrls.plainTextWarning(settings.broker()).ifPresent(LOG::warn);
        if (!PahoDecoding.bulkReads()) {
            LOG.warn("Paho's own CountingInputStream is in use (the head-end's jar is not ahead of Paho's on the class path):"
                    + " large messages such as blinded keys are decoded one byte per call, several times slower");
        }
        Outbox outbox = new Outbox(OUTBOX_CAPACITY);
        this.connection = new ConnectionLoop(settings, tls, filters, outbox, new Events());
        this.sender = new OutboxSender(outbox, connection::current, connection::subscribed);
        this.inbound = new InboundDispatch(sink, connection::current);
    }

    /** Routes a link's events; those of a retired link (or after close) are ignored, apart from messages (see InboundDispatch). */
    private final class Events implements PahoLink.Events {
        @Override
        public void arrived(PahoLink link, String topic, MqttMessage message) {
            inbound.arrived(link, topic, message);
        }

        @Override
        public void disconnected(PahoLink link, MqttDisconnectResponse response) {
            if (connection.isCurrent(link)) {
                lost(response);
            }
        }

        @Override
        public void delivered(PahoLink link) {
            if (connection.isCurrent(link)) {
                sender.delivered();
            }
        }
    }

    /**
     * Runs after every successful subscription, first connection included, on the connection thread. The owner
     * republishes its retained state (a broker restarted without persistence lost it) and then calls {@link #drain}.
     */
    public void onSubscribed(Runnable action) {
        connection.onSubscribed(action);
    }

    /** Runs when queued publications can go out again (in-flight window freed); the owner then calls {@link #drain}. */
    public void onDrainable(Runnable action) {
        sender.onDrainable(action);
    }

    /**
     * With several head-ends: {@code expected} is true when another client may rightly take this session over, i.e. this
     * instance no longer owns the session's group (its new owner connects with the same client id). Such a takeover is
     * logged as what it is, not as a client-id clash, and not answered by connecting again: the owner closes the link.
     */
    public void expectTakeoverWhen(BooleanSupplier expected) {
        connection.expectTakeoverWhen(expected);
    }

    /**
     * Connects and subscribes, waiting up to {@code timeoutSeconds}; throws if that fails. Later losses are repaired by
     * the reconnect loop.
     */
    public void start(int timeoutSeconds) {
        connection.start(timeoutSeconds);
    }

    /** The TLS client (with the watcher of {@code mqtt.tls.crlFile}, if configured), if {@code mqtt.tls} is configured. */
    public Optional<HeadEndTls.Client> tls() {
        return tls;
    }

    /** The watcher of {@code mqtt.tls.crlFile}, if one is configured. */
    public Optional<CrlFileTrust> tlsCrl() {
        return tls.flatMap(HeadEndTls.Client::crl);
    }

    MqttConnectionOptions options() {
        return ConnectOptions.of(settings, tls);
    }

    /** The link went down: classified, reported at once and repaired (see {@link ConnectionLoop#lost}). */
    void lost(MqttDisconnectResponse response) {
        connection.lost(response);
    }

    /** Queues a publication and sends what the link allows; call from the core thread only (it keeps their order). */
    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        sender.publish(topic, payload, retained);
    }

    /** Sends queued publications in order while the link is up; call from the core thread only. */
    public void drain() {
        sender.drain();
    }

    public LinkStatus status() {
        return connection.status();
    }

    public boolean isConnected() {
        return status().up();
    }

    @Override
    public void close() {
        connection.close();
    }
}
