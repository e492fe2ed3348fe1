package org.psametering.headend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns {@link HeadEndCore}: drains inbound messages in batches (one database transaction per
 * batch is what makes ingest fast), runs queued tasks and ticks deadlines. The queue needs no bound of its own:
 * with manual acks the broker never has more than the client's receive maximum unacknowledged messages in flight.
 */
final class CoreLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoreLoop.class);
    private static final int MAX_BATCH = 5_000;

    private final HeadEndCore core;
    private final long tickNanos;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    CoreLoop(HeadEndCore core, long tickMillis) {
        this.core = core;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.thread = Thread.ofPlatform().name("psa-head-end-core").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void submit(InboundMessage message) {
        queue.add(message);
    }

    /** Runs a task on the core thread; the future completes when it has run. */
    CompletableFuture<Void> execute(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add((Runnable) () -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Runs a task on the core thread and waits for it (at most 30 s), for callers on other threads (reload, group
     * handover) that must not touch the core themselves; a failure comes back as an exception naming {@code what}.
     */
    void await(String what, Runnable task) {
        try {
            execute(task).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": not done within 30 s", e);
        }
    }

    private void run() {
        long nextTick = System.nanoTime();
        List<Object> drained = new ArrayList<>(MAX_BATCH);
        List<InboundMessage> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            long wait = Math.max(0, nextTick - System.nanoTime());
            Object first;
            try {
                first = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first != null) {
                drained.add(first);
                queue.drainTo(drained, MAX_BATCH - 1);
                // every drained item is handled even if an earlier one failed: a queued task's caller is waiting
                for (Object item : drained) {
                    if (item instanceof InboundMessage message) {
                        batch.add(message);
                    } else {
                        flush(batch);
                        guarded("task", (Runnable) item);
                    }
                }
                flush(batch);
                drained.clear();
            }
            if (System.nanoTime() - nextTick >= 0) {
                guarded("tick", core::tick);
                nextTick = System.nanoTime() + tickNanos;
            }
        }
    }

    private void flush(List<InboundMessage> batch) {
        if (!batch.isEmpty()) {
            // the core releases what it reserved and acknowledges nothing it did not store: a failed batch comes again
            guarded("batch of " + batch.size() + " messages", () -> core.process(batch));
            batch.clear();
        }
    }

    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("core loop: {} failed: {}", what, e.toString(), e);
        }
    }

    /**
     * Stops after the current batch; queued but unprocessed messages stay unacknowledged (the broker keeps them).
     * No interrupt: an interrupted thread in the middle of file I/O would close H2's file channel.
     */
    @Override
    public void close() {
        running = false;
        queue.add((Runnable) () -> { });
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
