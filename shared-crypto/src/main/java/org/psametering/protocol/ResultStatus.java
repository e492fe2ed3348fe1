package org.psametering.protocol;

/** Outcome of one (group, epoch, label) time-step. */
public enum ResultStatus {
    /** Every member reported; the sum is exact. */
    COMPLETE,
    /** The deadline passed with members missing; no sum (yet). */
    INCOMPLETE,
    /**
     * The deadline passed with the meters in {@code missing} absent, enough others reported and the head-end asked the
     * reporting ones to help decrypt (docs/protocol.md, "Recovery"); no sum yet. Ends as RECOVERED, or INCOMPLETE
     * with reason RECOVERY_UNANSWERED. Every ciphertext for the label arriving from now on is refused.
     */
    RECOVERING,
    /** The exact sum over the reporting meters, every member except those in {@code missing} (non-empty). Final. */
    RECOVERED
}
