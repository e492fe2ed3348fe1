package org.psametering.cli.bench.ingest.groups;

/**
 * One measured time-step across all groups.
 *
 * @param acceptedNanos  from the first ciphertext published until the head-end had accepted (stored, acknowledged) all
 * @param publishedNanos from the first publish until the broker had acknowledged all (the load generator's side)
 * @param latencyNanos   per group: from the first ciphertext of the step until that group's stored aggregate arrived
 * @param wrong          groups whose aggregate was missing, not COMPLETE, or not the sum of the readings
 */
record GroupStep(long label, int ciphertexts, long acceptedNanos, long publishedNanos, long[] latencyNanos, int wrong) {
    double ciphertextsPerSecond() {
        return ciphertexts / (acceptedNanos / 1e9);
    }
}
