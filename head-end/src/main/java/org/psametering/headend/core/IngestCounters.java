package org.psametering.headend.core;

import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counts of what the head-end accepted and produced (read by metrics and the HTTP API). */
public final class IngestCounters {
    private final LongAdder ciphertextsAccepted = new LongAdder();
    private final LongAdder completeResults = new LongAdder();
    private final LongAdder incompleteResults = new LongAdder();

    public void accepted(int n) {
        ciphertextsAccepted.add(n);
    }

    public void recorded(StepResult result) {
        (result.sum().isPresent() ? completeResults : incompleteResults).increment();
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
}
