package org.psametering.headend.core;

import java.util.concurrent.atomic.LongAdder;

import org.psametering.protocol.ResultReason;

/** Thread-safe counts of what the head-end accepted and produced (read by metrics and the HTTP API). */
public final class IngestCounters {
    private final LongAdder ciphertextsAccepted = new LongAdder();
    private final LongAdder completeResults = new LongAdder();
    private final LongAdder incompleteResults = new LongAdder();
    private final LongAdder aggregationFailures = new LongAdder();
    private final LongAdder recoveriesRequested = new LongAdder();
    private final LongAdder recoveredResults = new LongAdder();
    private final LongAdder recoveriesFailed = new LongAdder();
    private final LongAdder publicKeysReplaced = new LongAdder();
    private final LongAdder heldUnjudged = new LongAdder();

    public void accepted(int n) {
        ciphertextsAccepted.add(n);
    }

    public void recorded(StepResult result) {
        switch (result.status()) {
            case COMPLETE -> completeResults.increment();
            case INCOMPLETE -> incompleteResults.increment();
            case RECOVERING -> recoveriesRequested.increment();
            case RECOVERED -> recoveredResults.increment();
        }
        if (result.reason().filter(r -> r == ResultReason.AGGREGATION_FAILED).isPresent()) {
            aggregationFailures.increment();
        } else if (result.reason().isPresent()) {
            recoveriesFailed.increment();
        }
    }

    /** Steps whose recovery was requested (a RECOVERING result stored). */
    public long recoveriesRequested() {
        return recoveriesRequested.sum();
    }

    /** Steps recovered: the exact sum over the reporting meters. */
    public long recoveredResults() {
        return recoveredResults.sum();
    }

    /** Recoveries that ended INCOMPLETE (a reporting meter did not answer in time, or the answers did not decode). */
    public long recoveriesFailed() {
        return recoveriesFailed.sum();
    }

    public void publicKeyReplaced() {
        publicKeysReplaced.increment();
    }

    public void held() {
        heldUnjudged.increment();
    }

    public long ciphertextsAccepted() {
        return ciphertextsAccepted.sum();
    }

    public long completeResults() {
        return completeResults.sum();
    }

    public long incompleteResults() {
        return incompleteResults.sum();
    }

    /** Steps every member reported but that could not be aggregated (INCOMPLETE with reason AGGREGATION_FAILED). */
    public long aggregationFailures() {
        return aggregationFailures.sum();
    }

    /** Public keys a member replaced before its epoch's key set was fixed (accepted; a restarted meter does that). */
    public long publicKeysReplaced() {
        return publicKeysReplaced.sum();
    }

    /** Messages left unacknowledged because they name an epoch newer than any this head-end knows. */
    public long heldUnjudged() {
        return heldUnjudged.sum();
    }
}
