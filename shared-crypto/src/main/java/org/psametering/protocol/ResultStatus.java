package org.psametering.protocol;

/** Outcome of one (group, epoch, label) time-step. */
public enum ResultStatus {
    /** Every member reported; the sum is exact. */
    COMPLETE,
    /** The deadline passed with members missing; no sum can be computed (PSA needs all shares). */
    INCOMPLETE
}
