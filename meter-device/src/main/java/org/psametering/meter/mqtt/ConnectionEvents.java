package org.psametering.meter.mqtt;

import java.util.List;
import org.psametering.meter.agent.MeterAgent;

/**
 * What {@link PahoMeterConnection} needs from the meter it serves: its subscriptions and the connection's events. A
 * {@link MeterAgent} in production ({@link #of}); the system tests drive the connection without a whole meter.
 */
public interface ConnectionEvents {

    /** Topic filters to subscribe to on every connection. */
    List<String> subscriptions();

    /** A connection is up and subscribed: send everything not yet acknowledged. */
    void connected();

    /** The connection is gone: nothing in flight on it will be acknowledged any more. */
    void disconnected();

    void onMessage(String topic, byte[] payload);

    static ConnectionEvents of(MeterAgent agent) {
        return new ConnectionEvents() {
            @Override
            public List<String> subscriptions() {
                return agent.subscriptions();
            }

            @Override
            public void connected() {
                agent.connected();
            }

            @Override
            public void disconnected() {
                agent.disconnected();
            }

            @Override
            public void onMessage(String topic, byte[] payload) {
                agent.onMessage(topic, payload);
            }
        };
    }
}
