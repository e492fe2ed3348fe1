package org.psametering.cli.bench.ingest.groups;

import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Validated settings of one many-groups ingest run; {@code brokerUrl} null means "start a local Mosquitto".
 *
 * @param setupThreads threads that run the simulated meters' key setup (X25519, masks, blinding) and encryption
 * @param loadProcess  publish the steps' ciphertexts from a separate JVM instead of this one
 */
public record MultiGroupSettings(int groups, int metersPerGroup, String brokerUrl, int steps, int connections, PsaParameters params,
                                 long seed, boolean h2Sync, int setupThreads, boolean loadProcess) {
    /** A meter refuses a smaller group (group.minMembers default), so the benchmark does not offer one. */
    public static final int MIN_GROUP = 5;

    public MultiGroupSettings {
        if (groups < 1 || groups > 10_000) {
            throw new IllegalArgumentException("--groups must be 1..10000, got " + groups);
        }
        if (metersPerGroup < MIN_GROUP || metersPerGroup > 1_000) {
            throw new IllegalArgumentException("--meters-per-group must be " + MIN_GROUP + "..1000 (meters refuse groups of fewer than "
                    + MIN_GROUP + "), got " + metersPerGroup);
        }
        if ((long) groups * metersPerGroup > 200_000) {
            throw new IllegalArgumentException("--groups x --meters-per-group must be at most 200000, got " + (long) groups * metersPerGroup);
        }
        if (steps < 1 || steps > 100) {
            throw new IllegalArgumentException("--steps must be 1..100, got " + steps);
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections must be 1..64, got " + connections);
        }
        if (setupThreads < 1 || setupThreads > 256) {
            throw new IllegalArgumentException("setup threads must be 1..256, got " + setupThreads);
        }
        Objects.requireNonNull(params, "params");
        params.maxReading(metersPerGroup); // throws, naming the limit, if a group is too large for the parameter set
    }

    public long meters() {
        return (long) groups * metersPerGroup;
    }
}
