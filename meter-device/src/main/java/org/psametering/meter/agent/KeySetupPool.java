package org.psametering.meter.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs a meter's per-member key setup work on up to {@code parallelism} threads (the caller's included): first the
 * checks of every member's signed key ({@link #firstFailure}), then, only if all passed, the agreements and masks
 * ({@code KeySetup.blind} with {@link #executor}). One Ed25519 verification per member costs more than that member's
 * X25519 agreement and mask, so on a Raspberry Pi's 4 cores both go about 4 times faster. The threads are daemons shared by every meter of
 * the JVM with the same parallelism (a simulation runs many meters in one process; they must not each start a pool).
 *
 * <p>Result: the failure of the lowest member index, exactly as a loop in member order would report it, never a
 * partial pass. A worker stops early only once a lower index has failed, so the lowest failing index is always found.
 */
public final class KeySetupPool {

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private final int parallelism;

    /** @param parallelism at least 1; 1 runs every check on the calling thread */
    public KeySetupPool(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.parallelism = parallelism;
    }

    public int parallelism() {
        return parallelism;
    }

    /** Where work beyond the caller's own share runs: the shared daemon threads (or the caller itself at parallelism 1). */
    public Executor executor() {
        return parallelism == 1 ? Runnable::run : POOLS.computeIfAbsent(parallelism, KeySetupPool::newPool);
    }

    /**
     * Runs {@code check} for every index in 0..count-1 and returns the failure of the lowest index that failed.
     *
     * @param check returns null if index i passed, else the failure to report
     * @return null if every index passed
     */
    public <F> F firstFailure(int count, IntFunction<F> check) {
        int workers = Math.min(parallelism, count);
        if (workers <= 1) {
            for (int i = 0; i < count; i++) {
                F failure = check.apply(i);
                if (failure != null) {
                    return failure;
                }
            }
            return null;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger lowestFailed = new AtomicInteger(Integer.MAX_VALUE);
        @SuppressWarnings("unchecked")
        F[] failures = (F[]) new Object[count];
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < count && i < lowestFailed.get(); i = next.getAndIncrement()) {
                F failure = check.apply(i);
                if (failure != null) {
                    failures[i] = failure;
                    lowestFailed.accumulateAndGet(i, Math::min);
                }
            }
        };
        ExecutorService pool = POOLS.computeIfAbsent(parallelism, KeySetupPool::newPool);
        List<Future<?>> helpers = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            helpers.add(pool.submit(worker));
        }
        RuntimeException thrown = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            thrown = e;
        }
        for (Future<?> helper : helpers) {
            try {
                helper.get(); // also makes the workers' writes to failures visible here
            } catch (ExecutionException e) {
                if (thrown == null) {
                    thrown = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking a key set", e);
            }
        }
        if (thrown != null) {
            throw thrown;
        }
        int lowest = lowestFailed.get();
        return lowest == Integer.MAX_VALUE ? null : failures[lowest];
    }

    private static ExecutorService newPool(int parallelism) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(parallelism - 1, r -> {
            Thread t = new Thread(r, "psa-key-setup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
