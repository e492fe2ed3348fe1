package org.psametering.protocol;

import java.time.Instant;

/** The label of a time-step: t = floor(unix seconds / stepSeconds), the same on meters and head-end. */
public final class TimeSteps {
    private TimeSteps() {
    }

    public static long label(Instant at, int stepSeconds) {
        if (stepSeconds < 1) {
            throw new IllegalArgumentException("stepSeconds must be >= 1, got " + stepSeconds);
        }
        return Math.floorDiv(at.getEpochSecond(), (long) stepSeconds);
    }

    /** First instant of the step with this label. */
    public static Instant start(long label, int stepSeconds) {
        return Instant.ofEpochSecond(Math.multiplyExact(label, (long) stepSeconds));
    }
}
