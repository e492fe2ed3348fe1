package org.psametering.cli.bench.recovery;

/**
 * One recovered step: deadline passed -> request at the meters -> answers computed -> last answer acknowledged by the
 * broker -> RECOVERED result received; the median answer cost (thread CPU and wall time); the combine alone.
 */
record RecoveredStep(long label, int reporting, long deadlineToRequestNanos, long metersNanos, long computeNanos,
                     long lastAnswerToResultNanos, long deadlineToResultNanos, double answerCpuMedianNanos,
                     double answerWallMedianNanos, long combineNanos) {
    /** The head-end's part of the critical path: before the request and after the last answer. */
    long headEndNanos() {
        return deadlineToRequestNanos + lastAnswerToResultNanos;
    }
}
