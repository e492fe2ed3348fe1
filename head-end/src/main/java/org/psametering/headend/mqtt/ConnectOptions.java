package org.psametering.headend.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.PacketLimits;

/**
 * The CONNECT of every connection: persistent session (clean start false, session expiry), our own reconnect loop, the
 * Receive Maximum and a Maximum Packet Size so the broker never forwards more than a blinded-key frame, and TLS.
 */
final class ConnectOptions {
    /** Unacknowledged messages the broker may have in flight to us: the ingest batch size depends on it. */
    static final int RECEIVE_MAXIMUM = 65_535;
    static final int OPERATION_TIMEOUT_SECONDS = 10;

    private ConnectOptions() {
    }

    /** Options for one connection: with TLS, a socket factory of its own (see {@link HeadEndTls.Client}). */
    static MqttConnectionOptions of(MqttSettings settings, Optional<HeadEndTls.Client> tls) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(false); // our own loop: see MqttTransport's class comment
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
}
