package org.psametering.meter.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin MQTT 5 adapter between one {@link MeterAgent} and a broker, over one Paho async client per meter.
 *
 * <p>Persistent session (clean start false, session expiry from the settings) so the broker keeps the meter's
 * subscriptions and queued messages while it is away. Reconnecting is automatic, with exponential back-off from 1 s to
 * 2 min, for the first connection as for later drops; it runs on the runtime's shared scheduler rather than Paho's
 * automatic reconnect, which starts a timer thread per client and would cost thousands of threads when a broker
 * outage hits a JVM full of simulated meters. Paho's own message store is in memory only: durability across restarts
 * is the meter's outbox, which re-sends whatever the broker had not acknowledged.
 */
public final class PahoMeterConnection implements Outbound, MqttCallback, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PahoMeterConnection.class);
    private static final int MAX_RETRY_SECONDS = 120;

    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService scheduler;
    private ConnectionEvents agent;
    private volatile boolean closed;
    private int retrySeconds = 1;
    private boolean reconnectScheduled;

    /**
     * @param scheduler   runs the first-connection retries (the meter runtime's shared scheduler)
     * @param pahoThreads optional executor for Paho's internal threads (null: Paho starts its own); note that Paho keeps
     *                    long-running tasks on it for each connected client, so it must not be a small fixed pool
     */
    public PahoMeterConnection(MqttSettings settings, ScheduledExecutorService scheduler, ScheduledExecutorService pahoThreads) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        try {
            this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence(), null, pahoThreads);
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt.broker: cannot use '" + settings.brokerUrl() + "': " + e.getMessage(), e);
        }
        client.setCallback(this);
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
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    synchronized (PahoMeterConnection.this) {
                        retrySeconds = 1; // connectComplete() does the rest
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    scheduleReconnect(cause);
                }
            });
        } catch (MqttException e) {
            scheduleReconnect(e);
        }
    }

    private synchronized void scheduleReconnect(Throwable cause) {
        if (closed || reconnectScheduled) {
            return;
        }
        reconnectScheduled = true;
        log.warn("meter {}: cannot connect to {} ({}); retrying in {} s", settings.clientId(), settings.brokerUrl(),
                cause == null ? "connection lost" : cause.getMessage(), retrySeconds);
        // jitter, so thousands of meters losing one broker do not all knock again in the same millisecond
        long delayMillis = retrySeconds * 1000L + ThreadLocalRandom.current().nextLong(retrySeconds * 500L + 1);
        scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        retrySeconds = Math.min(retrySeconds * 2, MAX_RETRY_SECONDS);
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, DeliveryListener listener) {
        if (!client.isConnected()) {
            listener.failed(new IllegalStateException("not connected to " + settings.brokerUrl()));
            return;
        }
        try {
            client.publish(topic, payload, Topics.QOS, retained, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    listener.delivered();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    listener.failed(cause);
                }
            });
        } catch (MqttException | RuntimeException e) {
            listener.failed(e);
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        log.info("meter {}: {} to {}", settings.clientId(), reconnect ? "reconnected" : "connected", serverUri);
        List<String> filters = agent.subscriptions();
        int[] qos = filters.stream().mapToInt(f -> Topics.QOS).toArray();
        try {
            // re-subscribing also re-delivers the retained announcement and key set, which resumes any key setup
            client.subscribe(filters.toArray(String[]::new), qos);
        } catch (MqttException e) {
            log.error("meter {}: subscribing to {} failed: {}", settings.clientId(), filters, e.getMessage());
        }
        agent.connected();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        log.warn("meter {}: disconnected from {}: {}", settings.clientId(), settings.brokerUrl(),
                response.getException() != null ? response.getException().getMessage() : response.getReasonString());
        agent.disconnected();
        scheduleReconnect(response.getException());
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

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (client.isConnected()) {
                // Sends DISCONNECT without quiescing or waiting (Paho's graceful disconnect waits ~100 ms per client,
                // too long for closing thousands of simulated meters): anything unacknowledged is still in the
                // outbox and is re-sent on the next start.
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
    }
}
