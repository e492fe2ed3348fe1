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

    /**
     * With several head-ends the group's new owner takes the group's session over: the stale owner, which knows it no
     * longer owns the group, says so (INFO) instead of reporting a client-id clash (ERROR), and does not knock again.
     */
    @Test
    void aTakeoverByTheGroupsNewOwnerIsReportedAsOwnershipMovedNotAsAClientIdClash() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(MqttTransport.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the test logback config keeps only errors
        logger.addAppender(appender);
        java.util.concurrent.atomic.AtomicBoolean owned = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (MqttTransport transport = transport()) {
            transport.expectTakeoverWhen(() -> !owned.get());
            transport.lost(new MqttDisconnectResponse(MqttTransport.SESSION_TAKEN_OVER, null, null, null));
            LinkStatus status = transport.status();
            assertFalse(status.up());
            assertEquals(0, status.sessionTakeovers(), "an expected handover is no incident");
            assertTrue(status.reason().contains("ownership moved"), status.reason());
            assertEquals(java.util.List.of(), appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
            assertTrue(appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("ownership moved")), appender.list.toString());

            // while the instance still owns the group, a takeover is the unexpected case: the ERROR stays
            owned.set(true);
            transport.lost(new MqttDisconnectResponse(MqttTransport.SESSION_TAKEN_OVER, null, null, null));
            assertEquals(1, transport.status().sessionTakeovers());
            assertTrue(appender.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                    && e.getFormattedMessage().contains("session taken over by another client")), appender.list.toString());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
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
