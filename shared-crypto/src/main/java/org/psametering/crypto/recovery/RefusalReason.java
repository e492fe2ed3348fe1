package org.psametering.crypto.recovery;

/** Why a meter refuses a recovery request; the meter counts refusals per reason. */
public enum RefusalReason {
    /** Group, epoch or parameter set of the request differ from the meter's current key set. */
    WRONG_GROUP,
    /** This meter is not a member of the key set. */
    NOT_A_MEMBER,
    /** This meter is listed as missing: it is not in the reporting set. */
    SELF_LISTED_MISSING,
    /** A listed missing meter is not a member of the key set. */
    UNKNOWN_MISSING_METER,
    /** The reporting set is smaller than this meter's configured minimum. */
    TOO_FEW_REPORTING,
    /** This meter has not yet encrypted the label (a request may only follow the step's ciphertext). */
    LABEL_NOT_YET_ENCRYPTED,
    /** A different request for the same label was already answered (at most one answer per epoch and label). */
    OTHER_REQUEST_ALREADY_ANSWERED,
    /** The label is older than the last label answered (the meter keeps only the newest, so it cannot tell). */
    LABEL_OLDER_THAN_LAST_ANSWER
}
