package org.psametering.cli.bench.recovery;

/** One complete step: from the last ciphertext sent to the COMPLETE result, and the aggregation alone. */
record CompleteStep(long label, long lastCtToResultNanos, long aggregateNanos) {
}
