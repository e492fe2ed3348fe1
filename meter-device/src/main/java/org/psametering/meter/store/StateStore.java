package org.psametering.meter.store;

import java.util.Optional;

/** Where a meter's {@link MeterState} lives between runs. {@link #save} returns only once the state is durable. */
public interface StateStore extends AutoCloseable {

    Optional<MeterState> load();

    void save(MeterState state);

    @Override
    default void close() {
    }

    /** Keeps the state in memory only: for simulated meters, whose keys need not outlive the process. */
    static StateStore inMemory() {
        return new StateStore() {
            private volatile MeterState state;

            @Override
            public Optional<MeterState> load() {
                return Optional.ofNullable(state);
            }

            @Override
            public void save(MeterState next) {
                state = next;
            }
        };
    }
}
