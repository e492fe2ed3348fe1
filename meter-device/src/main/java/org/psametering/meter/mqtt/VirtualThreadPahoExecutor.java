package org.psametering.meter.mqtt;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A {@link java.util.concurrent.ScheduledExecutorService} for many Paho clients in one JVM: Paho's long-running
 * per-client loops (receiver, sender, callback) each get a virtual thread, and keep-alive pings are scheduled on one
 * shared platform thread. So 10 000 simulated meters need no 30 000 platform threads.
 *
 * <p>Needs JDK 24 or newer: Paho's sender waits inside {@code synchronized}, which on older JDKs pins the virtual
 * thread to its carrier and would starve the few carriers. Shared by all clients, it ignores {@code shutdown} calls
 * from them; its owner ends it with {@link #close()}.
 */
public final class VirtualThreadPahoExecutor extends ScheduledThreadPoolExecutor implements AutoCloseable {

    /** First JDK whose virtual threads do not pin on {@code synchronized} (JEP 491). */
    public static final int MIN_JDK = 24;

    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

    private VirtualThreadPahoExecutor() {
        super(1, r -> {
            Thread t = new Thread(r, "psa-meter-mqtt-pings");
            t.setDaemon(true);
            return t;
        });
        setRemoveOnCancelPolicy(true);
    }

    /** @throws IllegalStateException on a JDK older than {@link #MIN_JDK}, naming the JDK found */
    public static VirtualThreadPahoExecutor create() {
        int jdk = Runtime.version().feature();
        if (jdk < MIN_JDK) {
            throw new IllegalStateException("virtual threads for MQTT clients need JDK " + MIN_JDK + " or newer, this is JDK "
                    + jdk + "; run without them (each client then starts its own threads)");
        }
        return new VirtualThreadPahoExecutor();
    }

    @Override
    public void execute(Runnable task) {
        virtualThreads.execute(task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return virtualThreads.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return virtualThreads.submit(task, result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return virtualThreads.submit(task);
    }

    /** Ignored: one client closing must not stop the others. */
    @Override
    public void shutdown() {
    }

    /** Ignored, like {@link #shutdown()}. */
    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public void close() {
        super.shutdownNow();
        virtualThreads.shutdownNow();
    }
}
