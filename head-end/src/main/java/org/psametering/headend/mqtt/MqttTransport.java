package org.psametering.headend.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin MQTT 5 binding over Paho's async client: persistent session (clean start false, session expiry), QoS 1,
 * manual acknowledgements. Every inbound message is handed on with an ack callback that the core runs only once
 * the message is durably handled, so the broker redelivers anything the head-end had not stored.
 */
public final class MqttTransport implements Publisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
    /** Unacknowledged messages the broker may have in flight to us: the ingest batch size depends on it. */
    private static final int RECEIVE_MAXIMUM = 65_535;
    /** Publications kept while disconnected: a week of 15-minute results for ~15 groups. */
    private static final int OFFLINE_BUFFER = 10_000;

    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final Consumer<InboundMessage> sink;
    private volatile Runnable onReconnected = () -> { };

    public MqttTransport(MqttSettings settings, Path stateDir, Consumer<InboundMessage> sink) {
        this.settings = settings;
        this.sink = sink;
        try {
            Files.createDirectories(stateDir);
            client = new MqttAsyncClient(settings.broker(), settings.clientId(), new MqttDefaultFilePersistence(stateDir.toString()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create MQTT client for " + settings.broker() + ": " + e.getMessage(), e);
        }
        client.setManualAcks(true);
        client.setCallback(new Callback());
        client.setBufferOpts(offlineBuffer());
    }

    /**
     * Results finished while the broker is unreachable are queued (on disk, beside the session state) and sent after
     * the reconnect, so subscribers see every step; they are in the database either way. (Paho 1.2.5 installs the
     * buffer whenever options are set, whatever {@code bufferEnabled} says; the flag is set for a later Paho that reads it.)
     */
    private static DisconnectedBufferOptions offlineBuffer() {
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(OFFLINE_BUFFER);
        buffer.setPersistBuffer(true);
        buffer.setDeleteOldestMessages(true);
        return buffer;
    }

    /**
     * Runs after every automatic reconnect. A broker restarted without persistence has lost our retained announcements
     * and key sets, and anything published while we were away was dropped, so the owner republishes its current state.
     */
    public void onReconnected(Runnable action) {
        this.onReconnected = action;
    }

    /** Connects (blocking up to the timeout) and subscribes; later reconnects resubscribe by themselves. */
    public void connect(int timeoutSeconds) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        options.setReceiveMaximum(RECEIVE_MAXIMUM);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(timeoutSeconds);
        if (settings.broker().startsWith("tcp://")) {
            // plain TCP only: for ssl:// Paho needs an SSLSocketFactory and keeps its own
            options.setSocketFactory(new BufferedSocketFactory());
        }
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        try {
            client.connect(options).waitForCompletion(timeoutSeconds * 1000L);
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to MQTT broker " + settings.broker() + ": " + e.getMessage(), e);
        }
    }

    private void subscribe() {
        try {
            client.subscribe(new MqttSubscription[]{
                    new MqttSubscription(Topics.allPublicKeys(), Topics.QOS),
                    new MqttSubscription(Topics.allBlindedKeys(), Topics.QOS),
                    new MqttSubscription(Topics.allCiphertexts(), Topics.QOS)});
        } catch (MqttException e) {
            LOG.error("cannot subscribe at {}: {}", settings.broker(), e.getMessage());
        }
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        try {
            client.publish(topic, payload, Topics.QOS, retained);
        } catch (MqttException e) {
            // not connected yet, or the offline buffer is full: results stay queryable over HTTP, announcements are republished on reconnect
            LOG.warn("cannot publish {} now: {}", topic, e.getMessage());
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warn("MQTT close: {}", e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.info("{} to MQTT broker {}", reconnect ? "reconnected" : "connected", serverURI);
            subscribe();
            if (reconnect) {
                onReconnected.run();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int id = message.getId();
            int qos = message.getQos();
            sink.accept(new InboundMessage(topic, message.getPayload(), () -> ack(id, qos)));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("disconnected from MQTT broker: {}", response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private void ack(int id, int qos) {
        if (qos == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException e) {
            // the broker redelivers after reconnect; the core rejects it as a duplicate then
            LOG.warn("cannot acknowledge message {}: {}", id, e.getMessage());
        }
    }
}
