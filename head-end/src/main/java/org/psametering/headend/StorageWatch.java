package org.psametering.headend;

import java.time.Clock;

import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the outcome of each database write into {@link StorageHealth} and one log line per change of state. */
final class StorageWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StorageWatch.class);

    private final Clock clock;
    private final StorageHealth health = new StorageHealth();

    StorageWatch(Clock clock) {
        this.clock = clock;
    }

    void failed(StorageException e) {
        if (health.failed(e.getMessage(), clock.instant())) {
            LOG.error("STORAGE FAILING: {} -- nothing is acknowledged until it is stored; ingest waits for the database", e.getMessage());
        }
    }

    void ok() {
        health.succeeded().ifPresent(f -> LOG.warn("storage works again (it failed since {}: {})", f.since(), f.error()));
    }

    StorageHealth health() {
        return health;
    }
}
