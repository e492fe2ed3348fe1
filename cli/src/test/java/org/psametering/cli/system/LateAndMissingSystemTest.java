package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Deadlines: a step whose last ciphertext comes after the deadline is first recorded INCOMPLETE and then completed
 * (exactly) when it arrives; a step a meter never reports stays recorded INCOMPLETE, naming the missing meter.
 */
class LateAndMissingSystemTest {
    private static final int METERS = 3;
    /** A short deadline (a fifth of a step), so the tests see it pass quickly. */
    private static final int DEADLINE_SECONDS = SystemRig.STEP_SECONDS / 5;

    @Test
    void lateMeterCompletesItsStepLate(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-late", METERS, METERS, DEADLINE_SECONDS);
             TcpRelay lateLink = new TcpRelay(rig.broker.port())) {
            rig.fleet.startMeter(0);
            rig.fleet.startMeter(1);
            String late = rig.fleet.startMeter(2, lateLink.url());
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            lateLink.cut(); // the late meter's network fails; it keeps encrypting into its outbox
            long lateStep = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS); // ends while the link is down
            ResultMessage incomplete = rig.awaitStatus(lateStep, ResultStatus.INCOMPLETE);
            assertEquals(List.of(late), incomplete.missing());
            lateLink.restore(); // it reconnects and sends what it queued

            rig.assertExact(lateStep, METERS);
            rig.assertExact(lateStep + 1, METERS);
        }
    }

    @Test
    void missingMeterLeavesItsStepIncomplete(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-missing", METERS, METERS, DEADLINE_SECONDS)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            rig.fleet.stopMeter(2); // gone for good
            String missing = SystemRig.memberIds(METERS).get(2);
            long missedStep = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS); // in progress: it can never report it
            ResultMessage published = rig.awaitStatus(missedStep, ResultStatus.INCOMPLETE);
            assertEquals(List.of(missing), published.missing());
            assertTrue(published.sum().isEmpty(), "an incomplete step reveals no partial sum");

            // Let a further step pass, then look at what the head-end recorded: still incomplete, no sum.
            rig.awaitStatus(missedStep + 1, ResultStatus.INCOMPLETE);
            Instant from = TimeSteps.start(missedStep, SystemRig.STEP_SECONDS);
            List<StepResult> stored = rig.headEnd.results("g-missing", from, from.plusSeconds(SystemRig.STEP_SECONDS));
            assertEquals(1, stored.size(), "stored results of the missed step: " + stored);
            assertEquals(ResultStatus.INCOMPLETE, stored.get(0).status());
            assertTrue(stored.get(0).sum().isEmpty());
        }
    }
}
