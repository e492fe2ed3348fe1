package org.psametering.headend.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;

/**
 * The recorded outcome of one time-step. {@code sum} is present exactly when COMPLETE or RECOVERED (then the sum over
 * the {@code reported} meters); {@code missing} lists the meters that had not reported when an INCOMPLETE, RECOVERING
 * or RECOVERED step was recorded; {@code reason} names a cause other than missing
 * meters (see {@link ResultReason}).
 */
public record StepResult(String group, long epoch, long label, Instant stepStart, int stepSeconds, ResultStatus status,
                         OptionalLong sum, List<String> missing, int reported, Instant recordedAt, Optional<ResultReason> reason) {
    public StepResult {
        missing = List.copyOf(missing);
        if ((status == ResultStatus.COMPLETE || status == ResultStatus.RECOVERED) != sum.isPresent()) {
            throw new IllegalArgumentException("a step has a sum exactly when it is COMPLETE or RECOVERED");
        }
        if ((status == ResultStatus.RECOVERING || status == ResultStatus.RECOVERED) && missing.isEmpty()) {
            throw new IllegalArgumentException("a recovery names the missing meters");
        }
        if (reason.isPresent() && status != ResultStatus.INCOMPLETE) {
            throw new IllegalArgumentException("only an INCOMPLETE step has a reason");
        }
    }

    /** A result without a reason. */
    public StepResult(String group, long epoch, long label, Instant stepStart, int stepSeconds, ResultStatus status,
                      OptionalLong sum, List<String> missing, int reported, Instant recordedAt) {
        this(group, epoch, label, stepStart, stepSeconds, status, sum, missing, reported, recordedAt, Optional.empty());
    }

    /** Final: nothing that arrives later changes it (COMPLETE, RECOVERED, or an INCOMPLETE with a reason). */
    public boolean isFinal() {
        return status == ResultStatus.COMPLETE || status == ResultStatus.RECOVERED || reason.isPresent();
    }

    public ResultMessage toMessage() {
        return new ResultMessage(group, epoch, label, status, sum, missing, reason);
    }
}
