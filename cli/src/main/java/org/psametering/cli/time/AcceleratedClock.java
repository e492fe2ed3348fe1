package org.psametering.cli.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock on which simulated time runs {@code speedup} times faster than real time, starting at {@code origin}: the demo
 * passes a 15-minute protocol step in a couple of real seconds. Meters, head-end and simulated sensors all read the same
 * instance, so they agree on labels exactly as real devices synchronised by NTP would.
 */
public final class AcceleratedClock extends Clock {
    private final Instant origin;
    private final long realStartNanos;
    private final double speedup;
    private final ZoneId zone;

    private AcceleratedClock(Instant origin, long realStartNanos, double speedup, ZoneId zone) {
        this.origin = origin;
        this.realStartNanos = realStartNanos;
        this.speedup = speedup;
        this.zone = zone;
    }

    /** Simulated time starts at {@code origin} now and runs {@code speedup} times faster than the wall clock. */
    public static AcceleratedClock startingAt(Instant origin, double speedup) {
        if (!(speedup >= 1.0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("speedup must be a finite number >= 1, got " + speedup);
        }
        return new AcceleratedClock(origin, System.nanoTime(), speedup, ZoneOffset.UTC);
    }

    /** Speedup that makes {@code simulatedStep} pass in {@code realStep}. */
    public static double speedupFor(Duration simulatedStep, Duration realStep) {
        if (realStep.isZero() || realStep.isNegative() || realStep.compareTo(simulatedStep) > 0) {
            throw new IllegalArgumentException("real step duration must be positive and at most the simulated step ("
                    + simulatedStep + "), got " + realStep);
        }
        return (double) simulatedStep.toNanos() / realStep.toNanos();
    }

    /** How long to sleep in real time for {@code simulated} to pass on this clock. */
    public Duration realDurationOf(Duration simulated) {
        return Duration.ofNanos((long) Math.ceil(simulated.toNanos() / speedup));
    }

    public double speedup() {
        return speedup;
    }

    @Override
    public Instant instant() {
        long elapsedReal = System.nanoTime() - realStartNanos;
        return origin.plusNanos((long) (elapsedReal * speedup));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new AcceleratedClock(origin, realStartNanos, speedup, newZone);
    }

    @Override
    public String toString() {
        return "AcceleratedClock[origin=" + origin + ", speedup=" + speedup + "]";
    }
}
