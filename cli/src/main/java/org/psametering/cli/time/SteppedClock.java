package org.psametering.cli.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to. The ingest benchmark shares one with the in-process head-end so that a step's
 * deadline cannot expire while its ciphertexts are still being measured, whatever the machine's speed.
 */
public final class SteppedClock extends Clock {
    private final AtomicReference<Instant> now;

    public SteppedClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, got " + by);
        }
        now.updateAndGet(t -> t.plus(by));
    }

    /** Moves to {@code target}, which must not lie in the past. */
    public void set(Instant target) {
        now.updateAndGet(t -> {
            if (target.isBefore(t)) {
                throw new IllegalArgumentException("a clock only moves forward: " + target + " is before " + t);
            }
            return target;
        });
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("SteppedClock is UTC only");
    }
}
