package org.psametering.cli.demo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * What happened to one step: the head-end's result (if any) against the simulator's truth.
 *
 * @param decrypted   the sum the head-end published, if it completed the step
 * @param truth       the true sum, if every meter encrypted a reading for the step
 * @param partialTruth what the meters that did encrypt sent in total (for the message when something is missing)
 * @param missing     meters the head-end reported missing (INCOMPLETE), or empty
 */
record StepOutcome(long label, Instant start, Instant end, OptionalLong decrypted, OptionalLong truth, long partialTruth,
                   List<String> missing, boolean resultSeen) {
    static StepOutcome of(long label, int stepSeconds, Optional<ResultMessage> result, OptionalLong truth, long partialTruth) {
        OptionalLong decrypted = result.filter(r -> r.status() == ResultStatus.COMPLETE).map(ResultMessage::sum).orElse(OptionalLong.empty());
        List<String> missing = result.map(ResultMessage::missing).orElse(List.of());
        return new StepOutcome(label, TimeSteps.start(label, stepSeconds), TimeSteps.start(label + 1, stepSeconds), decrypted, truth,
                partialTruth, missing, result.isPresent());
    }

    /** OK only when the head-end completed the step and its sum is exactly the true sum. */
    boolean ok() {
        return decrypted.isPresent() && truth.isPresent() && decrypted.getAsLong() == truth.getAsLong();
    }
}
