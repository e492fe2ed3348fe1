package org.psametering.hardware.sampling;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.psametering.hardware.SensorException;

/**
 * Runs one sampling step over and over on a daemon thread until stopped: the lifecycle shared by the sensors whose
 * hardware must be read at its own pace (an ADC window, a telegram pushed by a meter), not when the meter asks.
 *
 * <p>A {@link SensorException} from a step goes to the failure handler and the loop goes on after the given pause,
 * because one bad window or telegram must not end the sensor; an interrupt ends the loop, which is how
 * {@link #stop()} unblocks a step waiting on hardware.
 */
public final class BackgroundSampler {

    /** One sampling step; may block on hardware. */
    @FunctionalInterface
    public interface Step {
        void run() throws InterruptedException;
    }

    private final String threadName;
    private final Step step;
    private final Consumer<SensorException> onFailure;
    private final Duration pauseAfterFailure;
    private Thread thread;
    private volatile boolean stopped;

    /**
     * @param threadName        the thread's name, so that it can be recognised in a thread dump
     * @param onFailure         told of each failed step (not of one failing while the sampler stops)
     * @param pauseAfterFailure how long to wait before the next step after a failure ({@link Duration#ZERO}: none)
     */
    public BackgroundSampler(String threadName, Step step, Consumer<SensorException> onFailure, Duration pauseAfterFailure) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.step = Objects.requireNonNull(step, "step");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.pauseAfterFailure = Objects.requireNonNull(pauseAfterFailure, "pauseAfterFailure");
        if (pauseAfterFailure.isNegative()) {
            throw new IllegalArgumentException("pauseAfterFailure must not be negative, got " + pauseAfterFailure);
        }
    }

    /**
     * Starts the thread; later calls do nothing.
     *
     * @throws IllegalStateException once stopped
     */
    public synchronized void start() {
        if (stopped) {
            throw new IllegalStateException("sensor is closed");
        }
        if (thread == null) {
            thread = new Thread(this::runUntilStopped, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Stops the thread (if it was started) and waits for it to end, so that the caller may then release the hardware
     * the step reads. Keeps the caller's interrupt status.
     *
     * @return true on the first call, false when already stopped
     */
    public boolean stop() {
        Thread t;
        synchronized (this) {
            if (stopped) {
                return false;
            }
            stopped = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Whether the thread is running (false before start() and after stop()). */
    public boolean isRunning() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        return t != null && t.isAlive();
    }

    private void runUntilStopped() {
        while (!stopped) {
            try {
                step.run();
            } catch (InterruptedException e) {
                return;
            } catch (SensorException e) {
                if (stopped) {
                    return;
                }
                onFailure.accept(e);
                if (!pauseAfterFailure.isZero()) {
                    try {
                        Thread.sleep(pauseAfterFailure);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "BackgroundSampler[" + threadName + (stopped ? ", stopped" : "") + "]";
    }
}
