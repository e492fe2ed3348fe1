package org.psametering.headend;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the stored blinded keys of epochs that no longer need them, on {@code executor}, {@code chunk} members per
 * transaction: an epoch whose parameter set cannot recover steps once it is active (K stored), a recoverable one once it
 * is retired (no step of it can be aggregated or recovered any more), and one superseded before it became active. The activation itself leaves those
 * rows alone: rewriting every member's 48 KiB row in its transaction held the core thread for seconds (about 7 s for
 * 2 000 members on H2), during which no step, ciphertext or health check was served.
 *
 * <p>Crash consistency: K is stored before a drop starts and the store refuses to drop a key of an epoch without K;
 * keys left by a crash or a failure are unused (a restart does not read them back) and the restart drops them
 * again ({@link GroupCoordinator#open}). A failed chunk is logged, marks the storage failing and is tried again at
 * the next tick ({@link #retryFailed()}). Thread-safe: the core thread schedules, the executor drops.
 */
final class BlindedKeyCleanup {
    /** Members per transaction: bounds how long one drop holds the database (48 KiB per member). */
    static final int DEFAULT_CHUNK = 64;

    private static final Logger LOG = LoggerFactory.getLogger(BlindedKeyCleanup.class);

    /** What is left to drop of one epoch. */
    private record Job(String group, long epoch, List<String> meters) {
        Job {
            meters = List.copyOf(meters);
        }
    }

    private final EpochStore store;
    private final Executor executor;
    private final int chunk;
    private final StorageWatch storage;
    private final Queue<Job> failed = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    BlindedKeyCleanup(EpochStore store, Executor executor, int chunk, StorageWatch storage) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
        }
        this.store = store;
        this.executor = executor;
        this.chunk = chunk;
        this.storage = storage;
    }

    /** Schedules the drop of the blinded keys of {@code meters} in an epoch whose K is stored, or a superseded one. */
    void drop(String group, long epoch, List<String> meters) {
        if (!meters.isEmpty()) {
            executor.execute(() -> run(new Job(group, epoch, meters)));
        }
    }

    /** Schedules again the drops a database failure interrupted (the core calls it at each tick). */
    void retryFailed() {
        for (Job job = failed.poll(); job != null; job = failed.poll()) {
            Job retried = job;
            executor.execute(() -> run(retried));
        }
    }

    /** Stops after the chunk being dropped; what is left is dropped after the next start. */
    void close() {
        closed = true;
    }

    private void run(Job job) {
        List<String> meters = job.meters();
        for (int from = 0; from < meters.size(); from += chunk) {
            if (closed) {
                return;
            }
            List<String> part = meters.subList(from, Math.min(meters.size(), from + chunk));
            try {
                store.dropBlindedKeys(job.group(), job.epoch(), part);
            } catch (StorageException e) {
                storage.failed(e);
                LOG.error("group {}: dropping the blinded keys of epoch {} failed ({} of {} left; tried again at the next tick): {}",
                        job.group(), job.epoch(), meters.size() - from, meters.size(), e.getMessage());
                failed.add(new Job(job.group(), job.epoch(), meters.subList(from, meters.size())));
                return;
            }
        }
        LOG.info("group {}: the stored blinded keys of epoch {} are dropped ({} members)", job.group(), job.epoch(), meters.size());
    }
}
