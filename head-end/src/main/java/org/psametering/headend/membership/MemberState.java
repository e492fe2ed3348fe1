package org.psametering.headend.membership;

/** Where a configured member stands. */
public enum MemberState {
    /** In the head-end's newest epoch (or in the one being set up). */
    ACTIVE,
    /** Left out after a long absence; refused ciphertexts from it are watched for. */
    DROPPED,
    /** Dropped, and heard again since: re-admitted with the next re-key the rate limit allows. */
    PENDING_READMISSION
}
