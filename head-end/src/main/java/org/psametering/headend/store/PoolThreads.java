package org.psametering.headend.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes HikariCP's threads and remembers them, so that closing the database can wait until they have ended.
 * HikariCP's own shutdown only interrupts its housekeeper and connection-closer threads and returns while they may
 * still be running; a failed start-up would then leave threads behind for a moment, and an embedding application
 * could not rely on close() meaning "stopped".
 */
final class PoolThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> started = new CopyOnWriteArrayList<>();

    PoolThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        started.removeIf(t -> t.getState() == Thread.State.TERMINATED); // keeps the list short over a long run
        started.add(thread);
        return thread;
    }

    /** Waits until every thread made here has ended; returns the names of those still alive after {@code limit}. */
    List<String> awaitEnded(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return started.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
