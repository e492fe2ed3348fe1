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
                   List<String> missing, boolean resultSeen, boolean recovered, int reporting, boolean mustDecrypt) {
    static StepOutcome of(long label, int stepSeconds, Optional<ResultMessage> result, OptionalLong truth, long partialTruth) {
        OptionalLong decrypted = result.filter(r -> r.status() == ResultStatus.COMPLETE).map(ResultMessage::sum).orElse(OptionalLong.empty());
        List<String> missing = result.map(ResultMessage::missing).orElse(List.of());
        return new StepOutcome(label, TimeSteps.start(label, stepSeconds), TimeSteps.start(label + 1, stepSeconds), decrypted, truth,
                partialTruth, missing, result.isPresent(), false, -1, true);
    }

    /**
     * A step of a run with missing meters. {@code truthOver} gives the true sum over exactly the given meters (empty if
     * one of them encrypted nothing for the label); {@code mustDecrypt}: enough meters reported for recovery, so a
     * step without a sum is a failure (below the minimum a step without a sum is correct, a wrong sum never is).
     */
    static StepOutcome withRecovery(long label, int stepSeconds, Optional<ResultMessage> result, List<String> members,
                                    java.util.function.Function<List<String>, OptionalLong> truthOver, long partialTruth,
                                    boolean mustDecrypt) {
        boolean recovered = result.filter(r -> r.status() == ResultStatus.RECOVERED).isPresent();
        OptionalLong decrypted = result.filter(r -> r.status() == ResultStatus.COMPLETE || r.status() == ResultStatus.RECOVERED)
                .map(ResultMessage::sum).orElse(OptionalLong.empty());
        List<String> missing = result.map(ResultMessage::missing).orElse(List.of());
        List<String> reporting = members.stream().filter(m -> !missing.contains(m)).toList();
        return new StepOutcome(label, TimeSteps.start(label, stepSeconds), TimeSteps.start(label + 1, stepSeconds), decrypted,
                truthOver.apply(reporting), partialTruth, missing, result.isPresent(), recovered, reporting.size(), mustDecrypt);
    }

    /**
     * OK when the head-end's sum is exactly the true sum over the meters it summed; a step that need not decrypt
     * (too few reporters) is OK without a sum, never with a wrong one.
     */
    boolean ok() {
        if (decrypted.isEmpty()) {
            return !mustDecrypt;
        }
        return truth.isPresent() && decrypted.getAsLong() == truth.getAsLong();
    }
}
