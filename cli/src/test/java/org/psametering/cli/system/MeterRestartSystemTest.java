package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.core.RejectReason;

/**
 * A meter process restarted mid-run (same data directory) resumes under the same epoch key and never encrypts a label it
 * already used: reusing one would let anyone subtract two ciphertexts and learn a difference of readings.
 */
class MeterRestartSystemTest {
    private static final int METERS = 3;

    @Test
    void restartedMeterResumesWithoutReusingALabel(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-meter-restart", METERS, METERS, SystemRig.STEP_SECONDS / 2)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            // The meter has just sent label `first`; restarting it within the next step is when it could be tempted to
            // close that step again.
            rig.fleet.stopMeter(0);
            rig.fleet.startMeter(0);

            for (long label = first + 1; label <= first + 3; label++) {
                rig.assertExact(label, METERS);
            }
            assertEquals(0, rig.fleet.truth().reusedLabels(), "a label was encrypted twice");
            assertEquals(0, rig.rejected(RejectReason.DUPLICATE), "the head-end saw a second ciphertext for a label");
            String restarted = SystemRig.memberIds(1).get(0);
            assertTrue(rig.fleet.truth().reading(restarted, first).isPresent() && rig.fleet.truth().reading(restarted, first + 3).isPresent(),
                    "the restarted meter took part before and after its restart");
        }
    }
}
