package org.psametering.headend.core;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;

/**
 * The recorded outcome of one time-step. {@code sum} is present exactly when COMPLETE; {@code missing} lists the
 * meters that had not reported when an INCOMPLETE step was recorded.
 */
public record StepResult(String group, long epoch, long label, Instant stepStart, int stepSeconds, ResultStatus status,
                         OptionalLong sum, List<String> missing, int reported, Instant recordedAt) {
    public StepResult {
        missing = List.copyOf(missing);
        if ((status == ResultStatus.COMPLETE) != sum.isPresent()) {
            throw new IllegalArgumentException("a step has a sum exactly when it is COMPLETE");
        }
    }

    public ResultMessage toMessage() {
        return status == ResultStatus.COMPLETE
                ? ResultMessage.complete(group, epoch, label, sum.getAsLong())
                : ResultMessage.incomplete(group, epoch, label, missing);
    }
}
