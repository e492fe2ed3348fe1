package org.psametering.protocol;

/**
 * Why an INCOMPLETE step has no sum when it is not simply that members are missing. Absent (the usual case) means
 * the meters listed in {@code missing} did not report before the deadline.
 */
public enum ResultReason {
    /**
     * Every member reported, each ciphertext authenticated, yet the aggregation failed (a member sent a valid MAC
     * over a ciphertext that does not decode under the epoch's keys). No sum is published rather than a wrong one;
     * {@code missing} is empty. Final: the step does not become COMPLETE later.
     */
    AGGREGATION_FAILED,
    /**
     * A recovery was requested (the step was RECOVERING) but a reporting meter did not answer within the recovery
     * window; {@code missing} lists the meters that had not reported. Final: no later ciphertext is accepted for the
     * label (it would reveal a reading by difference), so the step never gets a sum.
     */
    RECOVERY_UNANSWERED,
    /**
     * Every reporting meter answered the recovery request with an authentic answer, yet the combination did not decode
     * (a member MAC'd an answer or ciphertext that does not belong). No sum rather than a wrong one. Final.
     */
    RECOVERY_FAILED
}
