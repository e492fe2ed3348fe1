package org.psametering.cli.sim;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.psametering.meter.MeterListener;

/** Which meters hold an active key for which epoch, and from which label; lets the demo and tests wait for key setup. */
public final class EpochActivations implements MeterListener {
    private record Activation(long epoch, long activeFromLabel) {
    }

    private final Map<String, Activation> newest = new ConcurrentHashMap<>();
    private final Object changed = new Object();

    @Override
    public void onEpochActive(String meterId, long epoch, long activeFromLabel) {
        newest.merge(meterId, new Activation(epoch, activeFromLabel), (old, now) -> now.epoch() >= old.epoch() ? now : old);
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /**
     * Waits until {@code meters} meters hold epoch {@code epoch} (or a newer one) active; returns the newest activeFromLabel
     * among them, or empty on timeout.
     */
    public OptionalLong awaitActive(int meters, long epoch, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                long count = newest.values().stream().filter(a -> a.epoch() >= epoch).count();
                if (count >= meters) {
                    return OptionalLong.of(newest.values().stream().filter(a -> a.epoch() >= epoch)
                            .mapToLong(Activation::activeFromLabel).max().orElseThrow());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalLong.empty();
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The newest epoch meter {@code meterId} activated, or -1. */
    public long epochOf(String meterId) {
        Activation a = newest.get(meterId);
        return a == null ? -1 : a.epoch();
    }
}
