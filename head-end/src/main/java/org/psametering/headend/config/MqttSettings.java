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
        @JsonProperty("sessionExpirySeconds") Long sessionExpirySeconds) {

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
    }

    public static MqttSettings defaults() {
        return new MqttSettings(null, null, null, null, null);
    }

    public MqttSettings withBroker(String newBroker) {
        return new MqttSettings(newBroker, clientId, username, password, sessionExpirySeconds);
    }

    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", sessionExpirySeconds=" + sessionExpirySeconds + "]";
    }
}
