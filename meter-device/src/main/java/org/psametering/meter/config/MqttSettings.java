package org.psametering.meter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;

/**
 * How the meter reaches its broker.
 *
 * @param brokerUrl             {@code tcp://host:port}, {@code ssl://}, {@code ws://} or {@code wss://}
 * @param username              optional (null when the broker allows anonymous clients)
 * @param password              optional; never printed
 * @param clientId              MQTT client id; the meter id unless configured
 * @param sessionExpirySeconds  how long the broker keeps the meter's session (subscriptions, queued messages) while it is away
 * @param keepAliveSeconds      MQTT keep-alive
 * @param tls                   certificates for mutual TLS with an {@code ssl://} broker; null for none (plain {@code tcp://},
 *                              or {@code ssl://} with the JVM's trusted CAs and no client certificate)
 */
public record MqttSettings(String brokerUrl, String username, String password, String clientId, long sessionExpirySeconds,
                           int keepAliveSeconds, TlsSettings tls) {

    public static final long DEFAULT_SESSION_EXPIRY_SECONDS = 7L * 24 * 3600;
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    public MqttSettings {
        checkBrokerUrl(brokerUrl, "mqtt.broker");
        Objects.requireNonNull(clientId, "mqtt.clientId");
        if (clientId.isBlank() || clientId.length() > 128) {
            throw new ConfigException("mqtt.clientId: must be 1 to 128 characters, was '" + clientId + "'");
        }
        if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
            throw new ConfigException("mqtt.sessionExpirySeconds: must be between 0 and 4294967295, was " + sessionExpirySeconds);
        }
        if (keepAliveSeconds < 1 || keepAliveSeconds > 65535) {
            throw new ConfigException("mqtt.keepAliveSeconds: must be between 1 and 65535, was " + keepAliveSeconds);
        }
        if (password != null && username == null) {
            throw new ConfigException("mqtt.password: given without mqtt.username");
        }
        if (tls != null && !brokerUrl.startsWith("ssl://")) {
            throw new ConfigException("mqtt.tls: given, but mqtt.broker '" + brokerUrl + "' is not an ssl:// URL (e.g. ssl://host:8883)");
        }
    }

    /** Without TLS files. */
    public MqttSettings(String brokerUrl, String username, String password, String clientId, long sessionExpirySeconds,
                        int keepAliveSeconds) {
        this(brokerUrl, username, password, clientId, sessionExpirySeconds, keepAliveSeconds, null);
    }

    /** The same settings with mutual TLS through {@code files}. */
    public MqttSettings withTls(TlsSettings files) {
        return new MqttSettings(brokerUrl, username, password, clientId, sessionExpirySeconds, keepAliveSeconds, files);
    }

    /** Broker URL and client id with defaults for the rest (anonymous, 7-day session, 60 s keep-alive). */
    public static MqttSettings of(String brokerUrl, String clientId) {
        return new MqttSettings(brokerUrl, null, null, clientId, DEFAULT_SESSION_EXPIRY_SECONDS, DEFAULT_KEEP_ALIVE_SECONDS);
    }

    static void checkBrokerUrl(String url, String setting) {
        if (url == null || url.isBlank()) {
            throw new ConfigException(setting + ": missing (e.g. tcp://localhost:1883)");
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(setting + ": '" + url + "' is not a broker URL like tcp://host:1883 (schemes: tcp, ssl, ws, wss)");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(setting + ": '" + url + "' is not a valid URL: " + e.getReason());
        }
    }

    @Override
    public String toString() {
        return "MqttSettings[brokerUrl=" + brokerUrl + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", clientId=" + clientId + ", sessionExpirySeconds=" + sessionExpirySeconds + ", keepAliveSeconds=" + keepAliveSeconds
                + ", tls=" + tls + "]";
    }
}
