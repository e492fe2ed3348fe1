package org.psametering.headend.mqtt;

import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a link went down, as {@code /health} and the log say it: another client took the session over (announced by
 * DISCONNECT 0x8E, or suspected when the broker closed each of the last connections right after the connect), the
 * group's new owner took it over as expected, or the link was lost for another reason.
 */
record LinkLoss(Kind kind, String reason) {
    /** The transport's log name, as before the transport was split into parts. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
    /** MQTT 5 DISCONNECT reason code "Session taken over". */
    static final int SESSION_TAKEN_OVER = 0x8E;

    enum Kind { EXPECTED_TAKEOVER, TAKEOVER, OTHER }

    /** {@code takeoverExpected} is asked only for a takeover (with several head-ends: the group is no longer ours). */
    static LinkLoss of(MqttDisconnectResponse response, FlapDetector.Verdict verdict, java.util.function.BooleanSupplier takeoverExpected,
                       MqttSettings settings) {
        boolean announced = response.getException() == null && response.getReturnCode() == SESSION_TAKEN_OVER;
        boolean takeover = announced || verdict == FlapDetector.Verdict.FLAPPING;
        if (takeover && takeoverExpected.getAsBoolean()) {
            return new LinkLoss(Kind.EXPECTED_TAKEOVER,
                    "session taken over by the group's new owner (ownership moved to another instance; expected during a takeover)");
        }
        if (takeover) {
            return new LinkLoss(Kind.TAKEOVER, announced
                    ? "session taken over by another client with id " + settings.clientId()
                    : "session taken over by another client with id " + settings.clientId() + " (suspected: the broker closed the "
                    + "connection right after each of the last " + FlapDetector.LIMIT + " connects)");
        }
        String why = response.getException() != null ? response.getException().getMessage()
                : "broker sent DISCONNECT, reason code 0x" + Integer.toHexString(response.getReturnCode())
                + (response.getReasonString() == null ? "" : " (" + LogSafe.text(response.getReasonString()) + ")");
        return new LinkLoss(Kind.OTHER, "connection to " + settings.broker() + " lost: " + why);
    }

    /** Says so at once: INFO for an expected takeover, ERROR for another one, WARN for any other loss. */
    void log(MqttSettings settings) {
        switch (kind) {
            case EXPECTED_TAKEOVER -> LOG.info("MQTT session {} DOWN: {}; not reconnecting", settings.clientId(), reason);
            case TAKEOVER -> LOG.error("MQTT link DOWN: {} at {}: two head-ends (or another program) use the same client id; backing off"
                    + " before connecting again, fix mqtt.clientId", reason, settings.broker());
            case OTHER -> LOG.warn("MQTT link DOWN: {}; reconnecting", reason);
        }
    }
}
