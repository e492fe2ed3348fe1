package org.psametering.cli.soak;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.psametering.crypto.psa.PsaParameters;

/**
 * A validated soak configuration.
 *
 * @param faultPhase how long faults are injected (real time); a drain without faults follows
 * @param meters     simulated households, each behind its own cuttable link
 * @param realStep   how long one 15-minute protocol step takes in real time
 * @param seed       seeds the fault schedule, the hostile payloads and the household profiles
 * @param faults     the kinds of fault to inject (all by default; fewer to reproduce one problem)
 */
public record SoakSettings(Duration faultPhase, int meters, Duration realStep, long seed, PsaParameters params, Set<FaultKind> faults) {
    /** The protocol's step length; the accelerated clock makes it pass in {@link #realStep}. */
    public static final int STEP_SECONDS = 900;

    public SoakSettings {
        Objects.requireNonNull(params, "params");
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("--faults must name at least one kind of fault");
        }
        faults = Set.copyOf(faults);
        if (faultPhase.compareTo(Duration.ofSeconds(5)) < 0 || faultPhase.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("--minutes must be between 0.1 and 10080, got " + faultPhase.toMillis() / 60_000.0);
        }
        if (meters < 2 || meters > 100) {
            // two at least: a single meter's "sum" is its reading, and the soak restarts one meter while others report
            throw new IllegalArgumentException("--meters must be 2..100 for the soak, got " + meters);
        }
        if (realStep.compareTo(Duration.ofMillis(500)) < 0 || realStep.compareTo(Duration.ofSeconds(STEP_SECONDS)) > 0) {
            throw new IllegalArgumentException("--step-seconds must be 0.5.." + STEP_SECONDS + ", got " + realStep.toMillis() / 1000.0);
        }
    }

    /** With every kind of fault. */
    public SoakSettings(Duration faultPhase, int meters, Duration realStep, long seed, PsaParameters params) {
        this(faultPhase, meters, realStep, seed, params, EnumSet.allOf(FaultKind.class));
    }

    static SoakSettings of(double minutes, int meters, double stepSeconds, long seed, String paramsName, Set<FaultKind> faults) {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException("--minutes must be a positive number, got " + minutes);
        }
        if (!(stepSeconds > 0) || Double.isInfinite(stepSeconds)) {
            throw new IllegalArgumentException("--step-seconds must be a positive number, got " + stepSeconds);
        }
        PsaParameters params = paramsName == null ? PsaParameters.DEFAULT : PsaParameters.byName(paramsName);
        return new SoakSettings(Duration.ofMillis(Math.round(minutes * 60_000)), meters, Duration.ofMillis(Math.round(stepSeconds * 1000)),
                seed, params, faults == null ? EnumSet.allOf(FaultKind.class) : faults);
    }

    /** Steps the fault phase lasts (for the late window, which must keep every step of the run open). */
    long faultPhaseSteps() {
        return faultPhase.toMillis() / realStep.toMillis() + 1;
    }
}
