package org.psametering.headend.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.psametering.headend.config.MqttSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Paho client, used for at most one network connection (see {@link MqttTransport} for why a client is never
 * reused); it hands Paho's events, tagged with itself, to {@link Events}, which ignore those of a retired link.
 */
final class PahoLink implements MqttCallback {
    /** The transport's log name, as before the transport was split into parts. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    /** What a link reports; {@code link} tells whether it is still the current one. */
    interface Events {
        void arrived(PahoLink link, String topic, MqttMessage message);

        void disconnected(PahoLink link, MqttDisconnectResponse response);

        void delivered(PahoLink link);
    }

    final MqttAsyncClient client;
    /** Set on the connection thread when it first connects; a used link is replaced before the next connect. */
    volatile boolean used;
    private final Events events;

    private PahoLink(MqttAsyncClient client, Events events) {
        this.client = client;
        this.events = events;
    }

    /** A fresh client with manual acknowledgements; throws if the broker URL is not one Paho takes. */
    static PahoLink create(MqttSettings settings, Events events) {
        try {
            // in-flight state in memory: what matters across restarts is in the database (see Outbox)
            MqttAsyncClient client = new MqttAsyncClient(settings.broker(), settings.clientId(), new MemoryPersistence());
            client.setManualAcks(true);
            PahoLink fresh = new PahoLink(client, events);
            client.setCallback(fresh);
            return fresh;
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot create MQTT client for " + settings.broker() + ": " + e.getMessage(), e);
        }
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
        // ConnectionLoop.attempt() does the rest: Paho reconnects nothing by itself here
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        events.arrived(this, topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        events.disconnected(this, response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error: {}", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        events.delivered(this);
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
