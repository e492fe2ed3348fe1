package org.psametering.meter.agent;

import java.time.Instant;
import org.psametering.protocol.TimeSteps;

/**
 * Turns a cumulative energy counter into integer watt-hours per time-step.
 *
 * <p>Label t = floor(unix seconds / stepSeconds). Energy per step is the difference of the counter's whole watt-hours at
 * the two step boundaries, so rounding never drifts: the per-step values always add up to the counter's whole Wh. The
 * first step after start is partial (measured from start). If ticks were missed and several boundaries passed, the
 * whole difference goes to the step that just ended and the skipped labels send nothing (the head-end reports them
 * incomplete) rather than inventing a split. A counter going backwards (sensor restarted from zero) counts what it shows now as used in the step, the best lower
 * bound available.
 */
final class StepTracker {

    /** A finished step: its label and the energy used in it. */
    record StepEnd(long label, long wattHours, long skippedSteps, boolean counterReset) {
    }

    private final int stepSeconds;
    private long openLabel;
    private long baselineWh;

    StepTracker(int stepSeconds, Instant now, long cumulativeWh) {
        if (stepSeconds < 1) {
            throw new IllegalArgumentException("stepSeconds must be at least 1, was " + stepSeconds);
        }
        this.stepSeconds = stepSeconds;
        this.openLabel = label(now, stepSeconds);
        this.baselineWh = cumulativeWh;
    }

    static long label(Instant at, int stepSeconds) {
        return TimeSteps.label(at, stepSeconds);
    }

    int stepSeconds() {
        return stepSeconds;
    }

    long openLabel() {
        return openLabel;
    }

    /** Whether a step boundary has passed since the open step began (cheap: called on every tick). */
    boolean stepEnded(Instant now) {
        return label(now, stepSeconds) > openLabel;
    }

    /**
     * Closes the open step with the counter read just after the boundary. Call only when {@link #stepEnded} is true;
     * a clock that went backwards simply never ends the step until it catches up again.
     */
    StepEnd close(Instant now, long cumulativeWh) {
        long current = label(now, stepSeconds);
        if (current <= openLabel) {
            throw new IllegalStateException("step " + openLabel + " has not ended at " + now);
        }
        StepEnd end = closeAs(current - 1, cumulativeWh);
        openLabel = current;
        return end;
    }

    /**
     * Ends tracking in this step length because the step length changes: everything since the open step began is
     * reported as label {@code ended} ({@code >= openLabel}; the open step itself if it is cut short by the switch).
     * The tracker must not be used afterwards.
     */
    StepEnd closeForSwitch(long ended, long cumulativeWh) {
        if (ended < openLabel) {
            throw new IllegalArgumentException("label " + ended + " is before the open step " + openLabel);
        }
        return closeAs(ended, cumulativeWh);
    }

    long baselineWh() {
        return baselineWh;
    }

    private StepEnd closeAs(long ended, long cumulativeWh) {
        boolean reset = cumulativeWh < baselineWh;
        long used = reset ? Math.max(0, cumulativeWh) : cumulativeWh - baselineWh;
        StepEnd end = new StepEnd(ended, used, ended - openLabel, reset);
        baselineWh = cumulativeWh;
        return end;
    }
}
