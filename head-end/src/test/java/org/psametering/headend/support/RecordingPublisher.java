package org.psametering.headend.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.psametering.headend.Publisher;

/** Keeps every publication, like a broker would retain/forward them. */
public final class RecordingPublisher implements Publisher {
    public record Publication(String topic, byte[] payload, boolean retained) {
    }

    private final List<Publication> published = new ArrayList<>();

    @Override
    public synchronized void publish(String topic, byte[] payload, boolean retained) {
        published.add(new Publication(topic, payload.clone(), retained));
    }

    public synchronized List<Publication> all() {
        return List.copyOf(published);
    }

    public synchronized Optional<Publication> last(String topic) {
        for (int i = published.size() - 1; i >= 0; i--) {
            if (published.get(i).topic().equals(topic)) {
                return Optional.of(published.get(i));
            }
        }
        return Optional.empty();
    }

    public synchronized List<Publication> on(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }
}
