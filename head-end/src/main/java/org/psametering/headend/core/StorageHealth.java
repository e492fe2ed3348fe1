package org.psametering.headend.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the last database write worked. A failing store (full disk, database gone) stops ingest without losing
 * anything (nothing unstored is acknowledged), so it must be visible at once: /health and a metric read this, and
 * the transitions are logged. Thread-safe: the core thread writes, anyone reads.
 */
public final class StorageHealth {
    /** The failure the database is in since {@code since}. */
    public record Failure(String error, Instant since) {
    }

    private volatile Failure failure;

    /** Returns true if this is a new failure (the caller logs it loudly once). */
    public boolean failed(String error, Instant now) {
        Failure current = failure;
        if (current == null) {
            failure = new Failure(error, now);
            return true;
        }
        if (!current.error().equals(error)) {
            failure = new Failure(error, current.since());
        }
        return false;
    }

    /** Returns the failure that just ended, if any. */
    public Optional<Failure> succeeded() {
        Failure ended = failure;
        failure = null;
        return Optional.ofNullable(ended);
    }

    public boolean healthy() {
        return failure == null;
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }
}
