package org.psametering.meter.agent;

import java.util.HashMap;
import java.util.Map;
import org.psametering.meter.store.EpochKeys;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.MeterState;
import org.psametering.meter.store.StateStore;

/**
 * The agent's durable state and what is derived from it: the current {@link MeterState}, saved through the
 * {@link StateStore} before memory changes (so memory never runs ahead of disk), and the per-epoch crypto objects.
 *
 * <p>Changed only under the agent's lock; {@link #current} may be read from any thread.
 */
final class AgentState {

    private final String meterId;
    private final String groupId;
    private final StateStore store;
    private final Map<Long, Cached> crypto = new HashMap<>();
    private volatile MeterState state; // volatile: the ticker thread reads the step schedule from it

    AgentState(String meterId, String groupId, StateStore store) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.store = store;
        this.state = store.load().orElseGet(() -> MeterState.fresh(meterId, groupId));
        if (!state.meterId().equals(meterId) || !state.groupId().equals(groupId)) {
            throw new IllegalStateException("the data directory belongs to meter '" + state.meterId() + "' in group '"
                    + state.groupId() + "', not meter '" + meterId + "' in group '" + groupId
                    + "': give each meter and group its own data directory");
        }
    }

    MeterState current() {
        return state;
    }

    /** Durable first: if the store throws, memory keeps the previous state, which is what a restart would load. */
    void save(MeterState next) {
        store.save(next);
        state = next;
        crypto.keySet().removeIf(e -> state.epoch(e).isEmpty());
    }

    /** Cached per epoch number, but only for the same keys: a key setup restarted with fresh keys gets fresh objects. */
    EpochCrypto crypto(EpochState epoch) {
        Cached cached = crypto.get(epoch.epoch());
        if (cached == null || cached.keys() != epoch.keys()) {
            cached = new Cached(epoch.keys(), EpochCrypto.of(groupId, meterId, epoch, epoch.lastLabel()));
            crypto.put(epoch.epoch(), cached);
        }
        return cached.crypto();
    }

    private record Cached(EpochKeys keys, EpochCrypto crypto) {
    }
}
