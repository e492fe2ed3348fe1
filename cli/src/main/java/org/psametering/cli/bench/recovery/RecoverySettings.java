package org.psametering.cli.bench.recovery;

import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;

/**
 * Validated settings of one recovery benchmark run; {@code brokerUrl} null means "start a local Mosquitto".
 *
 * @param missingFraction share of the group missing in each recovered step (0.01: 10 of 1 000)
 * @param steps           recovered steps measured (the first counts as warm-up)
 * @param completeSteps   complete steps measured before them, for the comparison
 * @param h2Sync          the head-end's {@code storage.h2Sync}
 */
record RecoverySettings(int meters, double missingFraction, int steps, int completeSteps, String brokerUrl, int connections,
                        PsaParameters params, long seed, boolean h2Sync) {
    RecoverySettings {
        if (meters < GroupSettings.DEFAULT_MIN_REPORTING + 1 || meters > 100_000) {
            throw new IllegalArgumentException("--meters must be " + (GroupSettings.DEFAULT_MIN_REPORTING + 1)
                    + "..100000, got " + meters);
        }
        if (!(missingFraction > 0 && missingFraction < 1)) {
            throw new IllegalArgumentException("--missing must be a fraction above 0 and below 1, got " + missingFraction);
        }
        if (steps < 1 || steps > 50) {
            throw new IllegalArgumentException("--steps must be 1..50, got " + steps);
        }
        if (completeSteps < 1 || completeSteps > 50) {
            throw new IllegalArgumentException("--complete-steps must be 1..50, got " + completeSteps);
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections must be 1..64, got " + connections);
        }
        Objects.requireNonNull(params, "params");
        if (!params.scheme().supportsRecovery()) {
            throw new IllegalArgumentException("--params " + params.name() + " has no recovery; use "
                    + PsaParameters.RECOVERABLE.name());
        }
        params.maxReading(meters); // throws, naming the limit, if the group is too large for the parameter set
        int missing = missingCount(meters, missingFraction);
        if (meters - missing < GroupSettings.DEFAULT_MIN_REPORTING) {
            throw new IllegalArgumentException("--missing " + missingFraction + " leaves " + (meters - missing)
                    + " of " + meters + " meters reporting, fewer than the " + GroupSettings.DEFAULT_MIN_REPORTING
                    + " a step needs to be recovered");
        }
    }

    /** Meters missing in each recovered step: round(N * F), at least 1. */
    static int missingCount(int meters, double fraction) {
        return (int) Math.max(1, Math.round(meters * fraction));
    }

    int missing() {
        return missingCount(meters, missingFraction);
    }
}
