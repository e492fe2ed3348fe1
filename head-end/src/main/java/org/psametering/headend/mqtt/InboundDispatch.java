package org.psametering.headend.mqtt;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.psametering.headend.InboundMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each received message to the core with its acknowledgement, which goes out only on the connection the message
 * arrived on: packet ids restart on a new connection (a broker that lost its state numbers from 1 again), so a late ack
 * could otherwise acknowledge a different, unprocessed message. A message whose connection is gone stays
 * unacknowledged and comes again; the core refuses the copy as a duplicate.
 */
final class InboundDispatch {
    /** The transport's log name, as before the transport was split into parts. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    private final Consumer<InboundMessage> sink;
    private final Supplier<PahoLink> current;

    InboundDispatch(Consumer<InboundMessage> sink, Supplier<PahoLink> current) {
        this.sink = sink;
        this.current = current;
    }

    void arrived(PahoLink on, String topic, MqttMessage message) {
        int id = message.getId();
        int qos = message.getQos();
        sink.accept(new InboundMessage(topic, message.getPayload(), () -> ack(id, qos, on)));
    }

    private void ack(int id, int qos, PahoLink arrivedOn) {
        if (qos == 0) {
            return;
        }
        if (arrivedOn != current.get() || !arrivedOn.client.isConnected()) {
            // the connection it came on is gone: the broker redelivers it (a duplicate to the core then), and this
            // id may now name a different message
            return;
        }
        try {
            arrivedOn.client.messageArrivedComplete(id, qos);
        } catch (MqttException e) {
            // the broker redelivers after reconnect; the core rejects it as a duplicate then
            LOG.warn("cannot acknowledge message {}: {}", id, e.getMessage());
        }
    }
}
