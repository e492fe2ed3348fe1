package org.psametering.meter;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.psametering.meter.mqtt.VirtualThreadPahoExecutor;

/**
 * Threads and services shared by every meter started with it, so a simulation of thousands of meters in one JVM costs
 * one ticker thread and a few worker threads rather than threads per meter. Each meter's Paho client starts its own
 * threads unless {@link Builder#virtualThreadsForMqtt} (or a caller's {@link Builder#pahoExecutor}) is used.
 */
public final class MeterRuntime implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final StepTicker ticker;
    private final ScheduledExecutorService pahoExecutor;
    private final MeterListener listener;
    private final SecureRandom random;
    private final StepSkips stepSkips;

    private final VirtualThreadPahoExecutor ownPahoExecutor;

    private MeterRuntime(Builder b) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("psa-meter-ticker"));
        this.workers = Executors.newFixedThreadPool(b.workers, daemon("psa-meter-worker"));
        this.ticker = new StepTicker(scheduler, b.tickInterval);
        this.ownPahoExecutor = b.virtualThreadsForMqtt ? VirtualThreadPahoExecutor.create() : null;
        this.pahoExecutor = ownPahoExecutor != null ? ownPahoExecutor : b.pahoExecutor;
        this.listener = b.listener;
        this.random = b.random;
        this.stepSkips = b.stepSkips;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: 1 s tick, one worker per core, Paho's own threads, no listener. */
    public static MeterRuntime create() {
        return builder().build();
    }

    StepTicker ticker() {
        return ticker;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService pahoExecutor() {
        return pahoExecutor;
    }

    MeterListener listener() {
        return listener;
    }

    SecureRandom random() {
        return random;
    }

    StepSkips stepSkips() {
        return stepSkips;
    }

    /** Stops the shared threads; close the meters first. */
    @Override
    public void close() {
        ticker.close();
        scheduler.shutdownNow();
        workers.shutdown();
        if (ownPahoExecutor != null) {
            ownPahoExecutor.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder {
        private Duration tickInterval = Duration.ofSeconds(1);
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private ScheduledExecutorService pahoExecutor;
        private boolean virtualThreadsForMqtt;
        private MeterListener listener = MeterListener.NONE;
        private SecureRandom random = new SecureRandom();
        private StepSkips stepSkips = StepSkips.NONE;

        private Builder() {
        }

        /**
         * How often meters check whether a step ended (real time). A step is closed within one interval of its end; the
         * demo's accelerated clock wants a short one (e.g. 50 ms for 2-second steps).
         */
        public Builder tickInterval(Duration interval) {
            this.tickInterval = Objects.requireNonNull(interval, "tickInterval");
            return this;
        }

        /** Threads that read sensors, encrypt and save state. */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, was " + count);
            }
            this.workers = count;
            return this;
        }

        /** Executor for the Paho clients' internal tasks (null: each client starts its own threads). */
        public Builder pahoExecutor(ScheduledExecutorService executor) {
            this.pahoExecutor = executor;
            return this;
        }

        /**
         * Runs every meter's Paho client on virtual threads (see {@link VirtualThreadPahoExecutor}; JDK 24+), for
         * thousands of meters in one JVM. Overrides {@link #pahoExecutor}.
         */
        public Builder virtualThreadsForMqtt(boolean on) {
            this.virtualThreadsForMqtt = on;
            return this;
        }

        public Builder listener(MeterListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Steps the meters leave unreported on purpose (simulations only; default: none). */
        public Builder stepSkips(StepSkips skips) {
            this.stepSkips = Objects.requireNonNull(skips, "stepSkips");
            return this;
        }

        public MeterRuntime build() {
            return new MeterRuntime(this);
        }
    }
}
