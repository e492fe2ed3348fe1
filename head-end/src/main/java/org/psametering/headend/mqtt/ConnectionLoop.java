package org.psametering.headend.mqtt;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.psametering.headend.config.MqttSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection and its repair: every connection, the first and each later one, is a fresh client ({@link PahoLink})
 * → connect → subscribe → {@code onSubscribed} (the owner republishes its retained state and drains the outbox). Only
 * then is the link UP. All attempts run on one thread with back-off ({@link ReconnectBackoff}), longer after a session
 * takeover ({@link LinkLoss}). Keeps what {@code /health} reports of the link.
 */
final class ConnectionLoop {
    /** The transport's log name, as before the transport was split into parts. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    private final MqttSettings settings;
    private final Optional<HeadEndTls.Client> tls;
    private final Subscriber subscriber;
    private final Outbox outbox;
    private final PahoLink.Events events;
    private final ReconnectBackoff backoff = new ReconnectBackoff();
    private final FlapDetector flaps = new FlapDetector();
    private final ScheduledExecutorService connector =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("psa-mqtt-connect").daemon().factory());
    private final AtomicLong sessionTakeovers = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean reconnectPending = new AtomicBoolean();
    /** The client of the current (or next) network connection; replaced, never reused, once it was used. */
    private volatile PahoLink link;
    private volatile Runnable onSubscribed = () -> { };
    private volatile BooleanSupplier takeoverExpected = () -> false;
    private volatile boolean connected;
    private volatile boolean subscribed;
    private volatile boolean everConnected;
    private volatile boolean closed;
    private volatile String downReason = "not connected yet";

    /** {@code outbox}: what was in flight on a retired client is queued again. */
    ConnectionLoop(MqttSettings settings, Optional<HeadEndTls.Client> tls, List<String> filters, Outbox outbox, PahoLink.Events events) {
        this.settings = settings;
        this.tls = tls;
        this.subscriber = new Subscriber(filters);
        this.outbox = outbox;
        this.events = events;
        this.link = PahoLink.create(settings, events); // at once, so a bad broker URL fails here
    }

    void onSubscribed(Runnable action) {
        this.onSubscribed = action;
    }

    void expectTakeoverWhen(BooleanSupplier expected) {
        this.takeoverExpected = expected;
    }

    /** The client of the current connection; events and acks of any other one are stale. */
    PahoLink current() {
        return link;
    }

    /** True for the current client while the transport is open. */
    boolean isCurrent(PahoLink candidate) {
        return link == candidate && !closed;
    }

    boolean subscribed() {
        return subscribed;
    }

    /** Connects and subscribes, waiting up to {@code timeoutSeconds}; throws if that fails. */
    void start(int timeoutSeconds) {
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
                // a fresh client for each connection (see MqttTransport), in place before connecting: the broker
                // sends queued messages right after CONNACK, and their acks must go out on this connection
                replaceLink();
                link.client.connect(ConnectOptions.of(settings, tls)).waitForCompletion(ConnectOptions.OPERATION_TIMEOUT_SECONDS * 1000L);
            }
        } catch (MqttException e) {
            flaps.connectFailed();
            return down("cannot connect to MQTT broker " + settings.broker() + ": " + why(e));
        }
        connected = true;
        try {
            String refused = subscriber.subscribe(link.client);
            if (refused != null) {
                disconnectQuietly();
                return down(refused);
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
        PahoLink old = link;
        if (!old.used) {
            old.used = true;
            return;
        }
        PahoLink fresh = PahoLink.create(settings, events);
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
            link.client.disconnect().waitForCompletion(ConnectOptions.OPERATION_TIMEOUT_SECONDS * 1000L);
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

    /** The link went down: classify why, say so at once ({@link LinkLoss}) and schedule the reconnect unless expected. */
    void lost(MqttDisconnectResponse response) {
        connected = false;
        subscribed = false;
        FlapDetector.Verdict verdict = flaps.lost(System.nanoTime());
        LinkLoss loss = LinkLoss.of(response, verdict, takeoverExpected, settings);
        if (loss.kind() == LinkLoss.Kind.TAKEOVER) {
            sessionTakeovers.incrementAndGet();
        } else if (loss.kind() == LinkLoss.Kind.OTHER && verdict == FlapDetector.Verdict.LONG_LIVED) {
            backoff.lostForAnotherReason(); // a link that held for a while ends a takeover streak
        }
        downReason = loss.reason();
        loss.log(settings);
        if (loss.kind() != LinkLoss.Kind.EXPECTED_TAKEOVER && !closed) {
            scheduleReconnect(loss.kind() == LinkLoss.Kind.TAKEOVER);
        }
    }

    LinkStatus status() {
        boolean up = connected && subscribed;
        return new LinkStatus(connected, subscribed, up ? null : downReason, sessionTakeovers.get(), reconnects.get(), outbox.size(),
                outbox.dropped());
    }

    void close() {
        closed = true;
        connector.shutdownNow();
        link.discard(5_000);
    }
}
