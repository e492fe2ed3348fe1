package org.psametering.cli.bench.ingest;

import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Validated settings of one ingest benchmark run; {@code brokerUrl} null means "start a local Mosquitto".
 *
 * @param burst hold the head-end's link while a step is published, then release it: measures how fast the head-end drains
 *              ciphertexts already waiting at the broker, independent of how fast the publishing clients are
 * @param h2Sync the head-end's {@code storage.h2Sync}: fsync each batch before acknowledging it (false: write to the OS only)
 * @param tls    run twice in one process, plain TCP then TLS 1.3 with client certificates, each against its own Mosquitto
 */
record IngestSettings(int meters, String brokerUrl, int steps, int connections, PsaParameters params, long seed, boolean burst,
                      boolean h2Sync, boolean tls) {
    IngestSettings {
        if (tls && brokerUrl != null) {
            throw new IllegalArgumentException("--tls starts its own Mosquitto brokers (plain and TLS); leave out --broker");
        }
        if (meters < 2 || meters > 100_000) {
            throw new IllegalArgumentException("--meters must be 2..100000, got " + meters);
        }
        if (steps < 1 || steps > 100) {
            throw new IllegalArgumentException("--steps must be 1..100, got " + steps);
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections must be 1..64, got " + connections);
        }
        Objects.requireNonNull(params, "params");
        params.maxReading(meters); // throws, naming the limit, if the group is too large for the parameter set
    }
}
