package org.psametering.meter.agent;

import java.util.ArrayList;
import java.util.List;

/** An in-memory broker stand-in: records publishes and lets the test decide when (and whether) each is acknowledged. */
final class RecordingOutbound implements Outbound {

    record Sent(String topic, byte[] payload, boolean retained, DeliveryListener listener) {
    }

    final List<Sent> sent = new ArrayList<>();
    boolean autoAck;
    boolean failImmediately;
    java.util.function.Consumer<Sent> onPublish = s -> { };

    @Override
    public synchronized void publish(String topic, byte[] payload, boolean retained, DeliveryListener listener) {
        Sent s = new Sent(topic, payload, retained, listener);
        sent.add(s);
        onPublish.accept(s);
        if (failImmediately) {
            listener.failed(new IllegalStateException("not connected"));
        } else if (autoAck) {
            listener.delivered();
        }
    }

    synchronized List<Sent> on(String topicSuffix) {
        return sent.stream().filter(s -> s.topic().endsWith(topicSuffix) || s.topic().contains(topicSuffix)).toList();
    }
}
