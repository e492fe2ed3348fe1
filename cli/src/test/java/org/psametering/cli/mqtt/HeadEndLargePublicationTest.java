package org.psametering.cli.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.mqtt.MqttTransport;
import org.psametering.protocol.PacketLimits;

/**
 * The head-end publishes key sets that grow with the group (about 0.8 KB per member with its certificate), up to what
 * a client may receive. Paho 1.2.5 checks an outgoing packet against the client's own advertised (incoming) Maximum
 * Packet Size, not the broker's, so a head-end advertising only a blinded-key frame's size could not publish the key
 * set of a group of a few thousand members: its link dropped on every attempt and key setup never finished.
 */
class HeadEndLargePublicationTest {
    @Test
    void theHeadEndPublishesAsMuchAsAClientMayReceive(@TempDir Path dir) throws Exception {
        int size = PacketLimits.CLIENT_MAX_PACKET_BYTES - 4096; // room for the topic and MQTT header
        String topic = "psa/v1/g-large/0/keyset";
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
             MqttTransport headEnd = new MqttTransport(new MqttSettings(broker.url(), "he-" + UUID.randomUUID(), null, null, 60L), m -> { })) {
            MqttClient member = new MqttClient(broker.url(), "member-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
            member.connect(options);
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            member.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String t, MqttMessage message) {
                    received.complete(message.getPayload());
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    received.completeExceptionally(new IllegalStateException("member link lost: " + response));
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            member.subscribe(topic, 1);
            headEnd.onSubscribed(headEnd::drain);
            headEnd.start(20);
            headEnd.publish(topic, new byte[size], true);
            byte[] payload = received.get(60, TimeUnit.SECONDS);
            assertEquals(size, payload.length);
            assertTrue(headEnd.status().up(), "link dropped: " + headEnd.status().reason());
            member.disconnect();
            member.close();
        }
    }
}
