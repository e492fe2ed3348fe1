package org.psametering.meter.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a connect failed, in words: Paho's message with its causes'. For a refused TLS handshake Paho alone says only
 * "Untranslated MqttException - RC: 0"; the causes say why (e.g. the broker's certificate is revoked).
 */
final class ConnectFailure {

    private ConnectFailure() {}

    /** The distinct messages along the cause chain, outermost first, joined by ": " ("connection lost" for none). */
    static String describe(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        return messages.isEmpty() ? "connection lost" : String.join(": ", messages);
    }

    /** True if the failure was the TLS handshake: a certificate refused, by the meter or by the broker. */
    static boolean tlsRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }
}
