package org.psametering.meter;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic task that pokes every registered meter, so thousands of simulated meters share one timer instead of
 * having one each. It polls rather than sleeping until the next boundary because meters may run on an accelerated
 * {@link java.time.Clock} whose speed the scheduler cannot know; the poll itself is a clock read and a division.
 */
public final class StepTicker implements AutoCloseable {

    /** Something checked on every tick; must return quickly and hand real work to another executor. */
    public interface Tickable {
        void tick();
    }

    private static final Logger log = LoggerFactory.getLogger(StepTicker.class);

    private final Set<Tickable> members = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> task;

    public StepTicker(ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tick interval must be positive, was " + interval);
        }
        long nanos = interval.toNanos();
        this.task = scheduler.scheduleAtFixedRate(this::tickAll, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    public AutoCloseable register(Tickable member) {
        members.add(member);
        return () -> members.remove(member);
    }

    int size() {
        return members.size();
    }

    void tickAll() {
        for (Tickable member : members) {
            try {
                member.tick();
            } catch (RuntimeException e) {
                // one broken meter must not stop the others' clocks (a thrown exception would cancel the schedule)
                log.error("tick failed", e);
            }
        }
    }

    @Override
    public void close() {
        task.cancel(false);
        members.clear();
    }
}
