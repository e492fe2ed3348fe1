package org.psametering.headend.mqtt;

import java.util.Arrays;
import java.util.List;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.psametering.protocol.Topics;

/**
 * The session's subscriptions, made again on every connection: a broker restarted without persistence has forgotten
 * them. None for a link that only publishes.
 */
final class Subscriber {
    private final List<String> filters;

    Subscriber(List<String> filters) {
        this.filters = List.copyOf(filters);
    }

    /**
     * Subscribes to every filter at QoS 1 and waits for the SUBACK; null when all were granted, else why not.
     *
     * @throws MqttException if the subscription could not be sent or was not answered
     */
    String subscribe(MqttAsyncClient client) throws MqttException {
        if (filters.isEmpty()) {
            return null;
        }
        IMqttToken token = client.subscribe(filters.stream()
                .map(filter -> new MqttSubscription(filter, Topics.QOS)).toArray(MqttSubscription[]::new));
        token.waitForCompletion(ConnectOptions.OPERATION_TIMEOUT_SECONDS * 1000L);
        int[] codes = token.getReasonCodes();
        if (codes == null || Arrays.stream(codes).anyMatch(code -> code >= 0x80)) {
            return "the broker refused the subscriptions (reason codes " + Arrays.toString(codes) + ")";
        }
        return null;
    }
}
