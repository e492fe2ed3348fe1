package org.psametering.cli.soak;

import java.util.List;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;

/**
 * What became of one ciphertext the broker acknowledged to its meter, judged only from what the head-end stored: the
 * final result of the ciphertext's (epoch, label), the ciphertexts it still holds, and its record of ciphertexts refused
 * by rule. Anything else is a loss.
 */
enum CiphertextFate {
    /** Used in a sum: its step is COMPLETE or RECOVERED and the result does not list its meter missing. */
    SUMMED,
    /**
     * Refused on purpose: the head-end recorded refusing it AFTER_RECOVERY, and its step's result shows a recovery was
     * requested without this meter (RECOVERING, RECOVERED, or INCOMPLETE because the recovery failed).
     */
    REFUSED_AFTER_RECOVERY,
    /** Stored by the head-end, in a step that has no sum (INCOMPLETE, or no result yet): a gap, not a loss. */
    HELD_IN_INCOMPLETE_STEP,
    /** None of the above: acknowledged, yet neither used, nor held, nor refused by rule with evidence. */
    LOST;

    /**
     * @param result          the final result of the ciphertext's epoch and label, or null if the head-end stored none
     * @param held            the head-end still holds this (meter, epoch, label) among its stored ciphertexts
     * @param refusalRecorded the head-end recorded refusing this (meter, epoch, label) AFTER_RECOVERY
     */
    static CiphertextFate of(String meter, StepResult result, boolean held, boolean refusalRecorded) {
        if (result != null && result.sum().isPresent() && !result.missing().contains(meter)) {
            return SUMMED;
        }
        if (refusalRecorded && result != null && recoveryRequested(result) && result.missing().contains(meter)) {
            return REFUSED_AFTER_RECOVERY;
        }
        if (held && (result == null || result.sum().isEmpty())) {
            return HELD_IN_INCOMPLETE_STEP;
        }
        return LOST;
    }

    /** The result shows that a recovery of its label was requested (the head-end then refuses later ciphertexts). */
    static boolean recoveryRequested(StepResult r) {
        return r.status() == ResultStatus.RECOVERING || r.status() == ResultStatus.RECOVERED
                || r.reason().filter(List.of(ResultReason.RECOVERY_UNANSWERED, ResultReason.RECOVERY_FAILED)::contains).isPresent();
    }
}
