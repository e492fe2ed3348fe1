package org.psametering.meter.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.psametering.meter.agent.Outbound;
import org.psametering.meter.config.MqttSettings;
import org.psametering.protocol.PacketLimits;

class PahoMeterConnectionTest {

    @Test
    void persistentSessionWithConfiguredExpiryCredentialsAndKeepAlive() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        MqttSettings settings = new MqttSettings("tcp://127.0.0.1:1", "meter-7", "s3cret", "meter-7", 3600, 45);
        PahoMeterConnection connection = new PahoMeterConnection(settings, scheduler, null);
        try {
            MqttConnectionOptions o = connection.options();
            assertFalse(o.isCleanStart(), "the broker keeps the session while the meter is away");
            assertEquals(3600L, o.getSessionExpiryInterval());
            assertEquals(45, o.getKeepAliveInterval());
            assertEquals("meter-7", o.getUserName());
            assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), o.getPassword());
            assertFalse(o.isAutomaticReconnect(), "reconnects run on the shared scheduler instead");
            assertEquals(Long.valueOf(PacketLimits.CLIENT_MAX_PACKET_BYTES), o.getMaximumPacketSize(), "the broker drops anything larger");
        } finally {
            connection.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void anonymousWhenNoUsernameAndPublishWhileDisconnectedFailsAtOnce() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PahoMeterConnection connection = new PahoMeterConnection(MqttSettings.of("tcp://127.0.0.1:1", "m1"), scheduler, null);
        try {
            assertNull(connection.options().getUserName());
            Throwable[] failure = new Throwable[1];
            connection.publish("psa/v1/g/1/ct/m1", new byte[] {1}, false, new Outbound.DeliveryListener() {
                @Override
                public void delivered() {
                }

                @Override
                public void failed(Throwable cause) {
                    failure[0] = cause;
                }
            });
            assertTrue(failure[0] != null && failure[0].getMessage().contains("not connected"), String.valueOf(failure[0]));
        } finally {
            connection.close();
            scheduler.shutdownNow();
        }
    }
}
