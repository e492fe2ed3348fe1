package org.psametering.headend;

import java.util.ArrayList;
import java.util.List;

import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of one inbound batch's key-setup messages (public and blinded keys): each was stored (committed
 * without a forced write) and applied in memory; one forced write for all of them, then their acknowledgements. With
 * 2000 meters one forced write per key made key setup a third slower. If the forced write fails none is acknowledged:
 * the broker delivers them again, they are found already applied, and they wait for the next forced write that works.
 */
final class KeySetupAcks {
    private static final Logger LOG = LoggerFactory.getLogger(KeySetupAcks.class);

    private final EpochStore store;
    private final StorageWatch storage;
    private final List<Runnable> acks = new ArrayList<>();

    KeySetupAcks(EpochStore store, StorageWatch storage) {
        this.store = store;
        this.storage = storage;
    }

    /** The message was stored (or found already stored) and applied: acknowledged after the forced write. */
    void add(Runnable ack) {
        acks.add(ack);
    }

    void forceThenAcknowledge() {
        if (acks.isEmpty()) {
            return;
        }
        try {
            store.forceCommitted();
        } catch (StorageException e) {
            storage.failed(e);
            LOG.error("{} key-setup messages not acknowledged (their forced write failed; the broker delivers them again): {}",
                    acks.size(), e.getMessage());
            acks.clear();
            return;
        }
        acks.forEach(Runnable::run);
        acks.clear();
    }
}
