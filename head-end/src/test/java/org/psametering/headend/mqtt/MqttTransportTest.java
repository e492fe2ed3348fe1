package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.PacketLimits;

/** What needs no broker: options, and how a lost link is classified and reported. */
class MqttTransportTest {
    private static MqttTransport transport() {
        return new MqttTransport(new MqttSettings("tcp://127.0.0.1:1", "head-end-x", null, null, 60L), m -> { });
    }

    @Test
    void optionsAdvertiseTheMaximumPacketSizeAndLeaveReconnectingToUs() {
        try (MqttTransport transport = transport()) {
            MqttConnectionOptions options = transport.options();
            assertEquals(Long.valueOf(PacketLimits.HEAD_END_MAX_PACKET_BYTES), options.getMaximumPacketSize());
            assertFalse(options.isAutomaticReconnect());
            assertFalse(options.isCleanStart());
        }
    }

    @Test
    void aDisconnectWithReasonSessionTakenOverIsReportedAsATakeover() {
        try (MqttTransport transport = transport()) {
            transport.lost(new MqttDisconnectResponse(MqttTransport.SESSION_TAKEN_OVER, null, null, null));
            LinkStatus status = transport.status();
            assertFalse(status.up());
            assertEquals(1, status.sessionTakeovers());
            assertTrue(status.reason().startsWith("session taken over by another client with id head-end-x"), status.reason());
        }
    }

    @Test
    void anOrdinaryLossIsNotATakeover() {
        try (MqttTransport transport = transport()) {
            transport.lost(new MqttDisconnectResponse(new MqttException(32109)));
            LinkStatus status = transport.status();
            assertFalse(status.up());
            assertEquals(0, status.sessionTakeovers());
            assertTrue(status.reason().startsWith("connection to tcp://127.0.0.1:1 lost"), status.reason());
        }
    }

    @Test
    void publicationsWaitInOrderWhileTheLinkIsDown() {
        try (MqttTransport transport = transport()) {
            transport.publish("psa/v1/g/result", new byte[]{1}, false);
            transport.publish("psa/v1/g/announce", new byte[]{1}, true);
            transport.publish("psa/v1/g/announce", new byte[]{2}, true); // replaces the queued retained one
            transport.publish("psa/v1/g/result", new byte[]{2}, false);
            assertEquals(3, transport.status().outboxSize());
        }
    }
}
