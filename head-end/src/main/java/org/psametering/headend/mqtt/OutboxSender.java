package org.psametering.headend.mqtt;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.psametering.protocol.LogSafe;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link Outbox} in order while the link is up: each publication is handed to the current client, stays in
 * flight until its PUBACK and waits in the queue when Paho's in-flight window is full; a freed window asks the owner to
 * drain again ({@link #onDrainable}).
 */
final class OutboxSender {
    /** The transport's log name, as before the transport was split into parts. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

    private final Outbox outbox;
    private final Supplier<PahoLink> current;
    private final BooleanSupplier subscribed;
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private volatile Runnable onDrainable = () -> { };

    OutboxSender(Outbox outbox, Supplier<PahoLink> current, BooleanSupplier subscribed) {
        this.outbox = outbox;
        this.current = current;
        this.subscribed = subscribed;
    }

    void onDrainable(Runnable action) {
        this.onDrainable = action;
    }

    /** Queues a publication and sends what the link allows; from the core thread only (it keeps their order). */
    void publish(String topic, byte[] payload, boolean retained) {
        outbox.add(new Publication(topic, payload, retained));
        drain();
    }

    /** Sends queued publications in order while the link is up; from the core thread only. */
    void drain() {
        drainRequested.set(false);
        Publication next;
        while (subscribed.getAsBoolean() && (next = outbox.peek()) != null) {
            PahoLink link = current.get();
            Publication sent = next;
            outbox.sending(sent); // before publishing: the PUBACK may come before publish() returns
            try {
                link.client.publish(sent.topic(), sent.payload(), Topics.QOS, sent.retained(), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        outbox.acknowledged(sent);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        if (link == current.get() && link.client.isConnected()) {
                            // an error reason code in the PUBACK: the broker will refuse a copy just the same
                            outbox.refused(sent);
                            LOG.warn("MQTT: the broker refused the publication on {}: {}", LogSafe.text(sent.topic()), cause.getMessage());
                        }
                        // else its connection is gone: requeued and sent again on the next one
                    }
                });
            } catch (MqttException e) {
                outbox.notSent(sent);
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    LOG.debug("MQTT publish of {} deferred: {}", LogSafe.text(next.topic()), e.getMessage());
                }
                // stays queued: sent when the in-flight window frees (delivered) or after the reconnect
                return;
            }
        }
    }

    /** A PUBACK on the current link freed the in-flight window: the owner is asked once to drain what waits. */
    void delivered() {
        if (outbox.hasQueued() && drainRequested.compareAndSet(false, true)) {
            onDrainable.run();
        }
    }
}
