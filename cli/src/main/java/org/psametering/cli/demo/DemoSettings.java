package org.psametering.cli.demo;

import java.time.Duration;
import org.psametering.crypto.psa.PsaParameters;

/**
 * A validated demo configuration.
 *
 * @param realStep how long one protocol step (900 simulated seconds) takes in real time
 * @param offline  meters switched off after the first step (the last ones by number); the rest is recovered per step
 * @param dropRate probability with which each meter independently leaves each step unreported (seeded by {@code seed})
 */
public record DemoSettings(int meters, int steps, Duration realStep, long seed, PsaParameters params, boolean compare, int offline,
                           double dropRate) {
    /** The protocol's step length: the demo shows real 15-minute steps, only faster. */
    public static final int STEP_SECONDS = 900;

    public DemoSettings {
        if (meters < 1 || meters > 1000) {
            throw new IllegalArgumentException("--meters must be 1..1000 for the demo (use bench ingest for more), got " + meters);
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("--steps must be 1..1000, got " + steps);
        }
        if (realStep.compareTo(Duration.ofMillis(200)) < 0 || realStep.compareTo(Duration.ofSeconds(STEP_SECONDS)) > 0) {
            throw new IllegalArgumentException("--step-seconds must be 0.2.." + STEP_SECONDS + ", got " + realStep.toMillis() / 1000.0);
        }
        if (offline < 0 || offline >= meters) {
            throw new IllegalArgumentException("--offline must be 0.." + (meters - 1) + " (at least one meter keeps reporting), got "
                    + offline);
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("--drop-rate must be at least 0 and below 1, got " + dropRate);
        }
    }

    /** Whether some steps are expected to miss meters (and so be RECOVERED rather than COMPLETE). */
    boolean withMissing() {
        return offline > 0 || dropRate > 0;
    }

    public DemoSettings(int meters, int steps, Duration realStep, long seed, PsaParameters params, boolean compare) {
        this(meters, steps, realStep, seed, params, compare, 0, 0);
    }

    static DemoSettings of(int meters, int steps, double stepSeconds, long seed, String paramsName, boolean compare) {
        return of(meters, steps, stepSeconds, seed, paramsName, compare, 0, 0);
    }

    static DemoSettings of(int meters, int steps, double stepSeconds, long seed, String paramsName, boolean compare, int offline,
                           double dropRate) {
        if (!(stepSeconds > 0) || Double.isInfinite(stepSeconds)) {
            throw new IllegalArgumentException("--step-seconds must be a positive number, got " + stepSeconds);
        }
        PsaParameters params = paramsName == null ? PsaParameters.RECOVERABLE : PsaParameters.byName(paramsName);
        return new DemoSettings(meters, steps, Duration.ofNanos(Math.round(stepSeconds * 1e9)), seed, params, compare, offline,
                dropRate);
    }
}
