package org.psametering.crypto.recovery;

import java.util.Objects;

/** Outcome of {@link RecoveryPolicy#decide}: either a permit to answer, or a refusal with its reason. */
public sealed interface RecoveryDecision {

    /**
     * Answer the request. {@code repeat} is true when exactly this request was answered before (the answer will be
     * byte-identical); otherwise persist {@code permit.record()} before sending.
     */
    record Answer(RecoveryPermit permit, boolean repeat) implements RecoveryDecision {
        public Answer {
            Objects.requireNonNull(permit, "permit");
        }
    }

    /** Do not answer; count the reason. */
    record Refuse(RefusalReason reason, String detail) implements RecoveryDecision {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
