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
    AGGREGATION_FAILED
}
