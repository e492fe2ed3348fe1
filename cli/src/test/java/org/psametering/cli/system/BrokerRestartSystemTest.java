package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes down across a step boundary and comes back (persistence on): meters keep that step's ciphertexts in
 * their outboxes and the broker keeps the head-end's session, so every step still aggregates exactly.
 */
class BrokerRestartSystemTest {
    private static final int METERS = 3;
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(120);

    @Test
    void brokerRestartLosesNoCiphertext(@TempDir Path dir) throws Exception {
        // A long deadline: the step that ends during the outage must wait for the meters to reconnect, not be closed.
        try (SystemRig rig = SystemRig.start(dir, "g-broker-restart", METERS, METERS, 4 * SystemRig.STEP_SECONDS)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            rig.broker.stop();
            rig.sleepUntilEndOf(first + 1, 0.3); // step first+1 ends while the broker is down
            rig.broker.restart();

            // Clients reconnect with exponential back-off (up to tens of seconds), hence the longer bound here.
            for (long label = first + 1; label <= first + 3; label++) {
                rig.assertExact(label, METERS, RECONNECT_WAIT);
            }
            assertEquals(0, rig.fleet.truth().reusedLabels());
        }
    }
}
