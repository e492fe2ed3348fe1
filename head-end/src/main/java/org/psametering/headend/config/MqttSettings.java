package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Broker connection. The head-end keeps a persistent session (clean start false) that the broker keeps for
 * {@code sessionExpirySeconds} while it is away, so QoS 1 ciphertexts published meanwhile are not lost.
 */
public record MqttSettings(
        @JsonProperty("broker") String broker,
        @JsonProperty("clientId") String clientId,
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("sessionExpirySeconds") Long sessionExpirySeconds,
        @JsonProperty("tls") TlsFiles tls) {

    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    public MqttSettings {
        broker = broker == null || broker.isBlank() ? DEFAULT_BROKER : broker;
        clientId = clientId == null || clientId.isBlank() ? "psa-head-end" : clientId;
        sessionExpirySeconds = sessionExpirySeconds == null ? 7 * 86_400L : sessionExpirySeconds;
        if (!broker.matches("(tcp|ssl|ws|wss)://.+")) {
            throw new ConfigException("mqtt.broker '" + broker + "' must look like tcp://host:port (or ssl://, ws://, wss://)");
        }
        if (sessionExpirySeconds < 1 || sessionExpirySeconds > 0xFFFF_FFFFL) {
            throw new ConfigException("mqtt.sessionExpirySeconds must be 1..4294967295, got " + sessionExpirySeconds);
        }
        if (tls != null) {
            tls.requireClientFiles("mqtt.tls");
            if (!broker.startsWith("ssl://")) {
                throw new ConfigException("mqtt.tls is set, but mqtt.broker '" + broker + "' is not an ssl:// URL (e.g. ssl://host:8883)");
            }
        }
    }

    /** Without TLS files. */
    public MqttSettings(String broker, String clientId, String username, String password, Long sessionExpirySeconds) {
        this(broker, clientId, username, password, sessionExpirySeconds, null);
    }

    /** The same settings with mutual TLS through {@code files}. */
    public MqttSettings withTls(TlsFiles files) {
        return new MqttSettings(broker, clientId, username, password, sessionExpirySeconds, files);
    }

    public static MqttSettings defaults() {
        return new MqttSettings(null, null, null, null, null);
    }

    public MqttSettings withBroker(String newBroker) {
        return new MqttSettings(newBroker, clientId, username, password, sessionExpirySeconds, tls);
    }

    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", sessionExpirySeconds=" + sessionExpirySeconds + ", tls=" + tls + "]";
    }
}
