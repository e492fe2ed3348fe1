package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MemberState;
import org.psametering.headend.membership.MembershipEvent;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;

/**
 * Long absence with the real broker: a meter stopped for {@code dropAfterMissedSteps} steps is dropped in a new epoch
 * and the other meters' sums are exact again; started again, it still encrypts under the old epoch, is refused, and
 * that refusal re-admits it in a later epoch, no sooner than {@code minRekeyIntervalSeconds} after the drop, with
 * exact sums over all meters from then on.
 */
class AbsenceRekeySystemTest {
    private static final int METERS = 6; // after the drop still 5, the meters' enforced minimum group size
    private static final int DROP_AFTER = 2;
    private static final int MIN_REKEY_SECONDS = 2 * SystemRig.STEP_SECONDS;
    private static final int ABSENT = METERS - 1;

    @Test
    void absentMeterIsDroppedThenReadmittedWithExactSumsThroughout(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-absence", METERS, METERS, SystemRig.STEP_SECONDS / 3)) {
            rig.headEnd.updateGroup(rig.group().withMembershipPolicy(DROP_AFTER, MIN_REKEY_SECONDS, METERS - 1));
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            rig.fleet.stopMeter(ABSENT);
            long dropEpochFrom = rig.awaitKeySetup(METERS - 1, 1);
            GroupMembership.Snapshot afterDrop = membership(rig);
            assertEquals(MemberState.DROPPED, afterDrop.members().get(ABSENT).state());
            MembershipEvent drop = afterDrop.log().getLast();
            assertEquals(MembershipEvent.Change.DROPPED, drop.change());
            assertEquals(SystemRig.memberIds(METERS).get(ABSENT), drop.meter());
            for (long label = dropEpochFrom; label < dropEpochFrom + 2; label++) {
                ResultMessage result = rig.assertExact(label, METERS - 1);
                assertEquals(1, result.epoch());
            }

            rig.fleet.startMeter(ABSENT);
            long backFrom = rig.awaitKeySetup(METERS, 2);
            MembershipEvent readmitted = membership(rig).log().getLast();
            assertEquals(MembershipEvent.Change.READMITTED, readmitted.change());
            assertEquals(drop.meter(), readmitted.meter());
            assertFalse(readmitted.at().isBefore(drop.at().plusSeconds(MIN_REKEY_SECONDS)),
                    "re-admitted at " + readmitted.at() + ", less than minRekeyIntervalSeconds after the drop at " + drop.at());
            for (long label = backFrom; label < backFrom + 2; label++) {
                ResultMessage result = rig.assertExact(label, METERS);
                assertEquals(2, result.epoch());
            }
            assertTrue(rig.headEnd.memberships().getFirst().members().stream().allMatch(m -> m.state() == MemberState.ACTIVE));
            assertEquals(0, rig.fleet.truth().reusedLabels());
            // no step of any epoch was ever published with a wrong sum: every COMPLETE one checked above matched, and
            // none of the others claims a sum
            for (long label : rig.results.all().keySet()) {
                rig.results.history(label).stream().filter(r -> r.status() != ResultStatus.COMPLETE)
                        .forEach(r -> assertTrue(r.sum().isEmpty(), r.toString()));
            }
        }
    }

    private static GroupMembership.Snapshot membership(SystemRig rig) {
        return rig.headEnd.memberships().getFirst();
    }
}
