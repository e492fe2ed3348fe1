package org.psametering.cli.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Reads what a broker holds retained under a topic filter, without guessing how long to wait: it subscribes to the
 * filter and to a private marker topic, then publishes the marker. The broker sends a subscription's retained messages
 * before it handles our next packet, so once the marker comes back every retained message has arrived.
 */
final class RetainedProbe {
    private RetainedProbe() {
    }

    /** Topic → payload of every retained message matching {@code filter} (an empty map if there is none). */
    static Map<String, byte[]> read(String brokerUrl, String filter) throws MqttException, InterruptedException {
        String marker = "psa-test/probe/" + UUID.randomUUID();
        Map<String, byte[]> retained = new ConcurrentHashMap<>();
        CountDownLatch markerBack = new CountDownLatch(1);
        MqttClient client = new MqttClient(brokerUrl, "psa-probe-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            client.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (topic.equals(marker)) {
                        markerBack.countDown();
                    } else if (message.isRetained() && message.getPayload().length > 0) {
                        retained.put(topic, message.getPayload());
                    }
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
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
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
            client.subscribe(filter, 1);
            client.subscribe(marker, 1);
            client.publish(marker, "marker".getBytes(StandardCharsets.US_ASCII), 1, false);
            if (!markerBack.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the probe's own marker did not come back from " + brokerUrl);
            }
            return Map.copyOf(retained);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    static Optional<byte[]> one(String brokerUrl, String topic) throws MqttException, InterruptedException {
        return Optional.ofNullable(read(brokerUrl, topic).get(topic));
    }
}
