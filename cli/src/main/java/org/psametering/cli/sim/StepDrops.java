package org.psametering.cli.sim;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.psametering.meter.StepSkips;

/**
 * {@code --drop-rate P}: each meter independently leaves each step unreported with probability P, as if its ciphertext
 * had been lost. The decision is a pure function of (seed, meter id, step number counted from the first step any meter
 * asked about), so a run with the same seed drops the same meters in the same steps, whatever the wall-clock labels
 * and thread timing. Remembers every drop so a run can be checked against what the head-end reported missing.
 */
public final class StepDrops implements StepSkips {
    private static final long UNSET = Long.MIN_VALUE;

    private final double rate;
    private final long seed;
    private final AtomicLong origin = new AtomicLong(UNSET);
    private final Map<Long, Set<String>> dropped = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException unless 0 &lt;= rate &lt; 1 */
    public StepDrops(double rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("--drop-rate must be at least 0 and below 1, got " + rate);
        }
        this.rate = rate;
        this.seed = seed;
    }

    public double rate() {
        return rate;
    }

    @Override
    public boolean skips(String meterId, long label) {
        if (rate == 0) {
            return false;
        }
        origin.compareAndSet(UNSET, label);
        if (!drops(meterId, label - origin.get())) {
            return false;
        }
        dropped.computeIfAbsent(label, l -> ConcurrentHashMap.newKeySet()).add(meterId);
        return true;
    }

    /** Whether meter {@code meterId} drops step number {@code step} (0 = the first step of the run). */
    public boolean drops(String meterId, long step) {
        long mixed = (seed * 1_000_003L + meterId.hashCode()) * 1_000_003L + step;
        return new SplittableRandom(mixed).nextDouble() < rate;
    }

    /** The meters that left {@code label} unreported on purpose. */
    public Set<String> droppedAt(long label) {
        return Set.copyOf(dropped.getOrDefault(label, Set.of()));
    }

    /** How many (meter, step) pairs were dropped so far. */
    public long total() {
        return dropped.values().stream().mapToLong(Set::size).sum();
    }
}
