package org.psametering.cli.bench.ingest;

/**
 * One measured step.
 *
 * @param acceptedNanos     from the first publish until the head-end had accepted (stored and acknowledged) all M
 * @param resultDelayNanos  from handing the last ciphertext to the network until the stored aggregate was published
 * @param publishedNanos    from the first publish until the broker had acknowledged all M (the meters' side)
 * @param exact             whether the aggregate equalled the sum of the readings
 */
record StepMeasurement(long label, int ciphertexts, long acceptedNanos, long resultDelayNanos, long publishedNanos, boolean exact) {
    double ciphertextsPerSecond() {
        return ciphertexts / (acceptedNanos / 1e9);
    }
}
