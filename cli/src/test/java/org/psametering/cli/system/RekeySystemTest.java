package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.protocol.ResultMessage;

/**
 * A member added to the group starts a new key epoch: all members (old and new) run key setup again, steps before the
 * switch still aggregate under the old key and the three old meters, steps after it under the new key and all four.
 */
class RekeySystemTest {
    private static final int OLD_MEMBERS = 5; // the meters enforce a minimum group size of 5
    private static final int NEW_MEMBERS = 6;

    @Test
    void addedMemberTriggersRekeyAndLaterStepsAggregateOverEveryone(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-rekey", OLD_MEMBERS, NEW_MEMBERS, SystemRig.STEP_SECONDS / 2)) {
            rig.startMeters(NEW_MEMBERS); // the last one runs but is not a member yet: it must wait, not encrypt
            long first = rig.awaitKeySetup(OLD_MEMBERS, 0);
            assertEquals(0, rig.assertExact(first, OLD_MEMBERS).epoch());

            rig.setMembers(NEW_MEMBERS);
            long switchLabel = rig.awaitKeySetup(NEW_MEMBERS, 1);
            assertTrue(switchLabel > first, "the new epoch starts after the steps already aggregated");

            for (long label = first + 1; label < switchLabel; label++) {
                assertEquals(0, rig.assertExact(label, OLD_MEMBERS).epoch(), "step " + label + " before the switch");
            }
            for (long label = switchLabel; label < switchLabel + 2; label++) {
                ResultMessage result = rig.assertExact(label, NEW_MEMBERS);
                assertEquals(1, result.epoch(), "step " + label + " after the switch");
            }
            assertEquals(0, rig.fleet.truth().reusedLabels());
        }
    }
}
