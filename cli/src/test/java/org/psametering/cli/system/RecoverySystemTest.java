package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Recovery of steps with missing meters with a real Mosquitto, the real head-end and real meters (recoverable
 * parameter set, the default minimum of 5 reporting meters on both sides): meters gone before a step's deadline give
 * the exact sum over the others; a gone meter that comes back late has its ciphertext refused and the sum stays;
 * below the minimum the step is INCOMPLETE.
 */
class RecoverySystemTest {
    private static final int METERS = 7;
    private static final int DEADLINE_SECONDS = SystemRig.STEP_SECONDS / 5;

    private static SystemRig rig(Path dir, String group) {
        return SystemRig.start(dir, group, METERS, METERS, DEADLINE_SECONDS, false, true, PsaParameters.RECOVERABLE);
    }

    private static long trueSumOver(SystemRig rig, long label, List<String> ids) {
        long sum = 0;
        for (String id : ids) {
            OptionalLong reading = rig.fleet.truth().reading(id, label);
            assertTrue(reading.isPresent(), id + " encrypted no reading for label " + label);
            sum += reading.getAsLong();
        }
        return sum;
    }

    @Test
    void metersGoneBeforeTheDeadlineGiveTheExactSumOverTheOthersAndTheirLateCiphertextsAreRefused(@TempDir Path dir)
            throws Exception {
        try (SystemRig rig = rig(dir, "g-recover");
             TcpRelay link = new TcpRelay(rig.broker.port())) {
            List<String> ids = SystemRig.memberIds(METERS);
            rig.startMetersWithLastBehind(METERS, 2, link);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            link.cut(); // two meters lose the network; they keep encrypting into their outboxes
            long step = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1; // wholly while they are away
            ResultMessage recovered = rig.awaitStatus(step, ResultStatus.RECOVERED);
            assertEquals(ids.subList(METERS - 2, METERS), recovered.missing());
            List<String> reporting = ids.subList(0, METERS - 2);
            long expected = trueSumOver(rig, step, reporting);
            assertEquals(expected, recovered.sum().orElseThrow(), "the exact sum over the five reporting meters");

            link.restore(); // they come back and send what they queued, including their ciphertexts of the recovered step
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (rig.rejected(RejectReason.AFTER_RECOVERY) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(rig.rejected(RejectReason.AFTER_RECOVERY) >= 2, "late ciphertexts refused: " + rig.rejections());
            Instant from = TimeSteps.start(step, SystemRig.STEP_SECONDS);
            List<StepResult> stored = rig.headEnd.results("g-recover", from, from.plusSeconds(SystemRig.STEP_SECONDS));
            assertEquals(1, stored.size());
            assertEquals(ResultStatus.RECOVERED, stored.get(0).status());
            assertEquals(OptionalLong.of(expected), stored.get(0).sum(), "the late ciphertexts changed nothing");
            assertEquals(List.of(ResultStatus.RECOVERING, ResultStatus.RECOVERED),
                    rig.results.history(step).stream().map(ResultMessage::status).distinct().toList());
        }
    }

    @Test
    void belowTheMinimumOfReportingMetersTheStepIsIncompleteAndNothingIsRecovered(@TempDir Path dir) throws Exception {
        try (SystemRig rig = rig(dir, "g-few")) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            for (int i = METERS - 3; i < METERS; i++) {
                rig.fleet.stopMeter(i); // four remain: below the minimum of five
            }
            long step = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
            ResultMessage incomplete = rig.awaitStatus(step, ResultStatus.INCOMPLETE);
            assertTrue(incomplete.sum().isEmpty());
            assertEquals(3, incomplete.missing().size());
            rig.awaitStatus(step + 1, ResultStatus.INCOMPLETE);
            assertTrue(rig.results.history(step).stream().allMatch(r -> r.status() == ResultStatus.INCOMPLETE),
                    "no recovery below the minimum: " + rig.results.history(step));
        }
    }

    @Test
    void aReportingMeterThatDisappearsDuringTheRecoveryLeavesTheStepIncompleteNeverWrong(@TempDir Path dir) throws Exception {
        // a longer deadline: the reporting meter's network is cut after its ciphertext left and before the request comes
        try (SystemRig rig = SystemRig.start(dir, "g-vanish", METERS, METERS, SystemRig.STEP_SECONDS / 2, false, true,
                PsaParameters.RECOVERABLE);
             TcpRelay link = new TcpRelay(rig.broker.port())) {
            String vanishing = rig.startMetersWithLastBehind(METERS, 1, link).get(0);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            rig.fleet.stopMeter(0); // missing: the step below is recovered over the other six

            long step = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // its ciphertext of the step was encrypted and handed to the broker (nothing left in its outbox)
            while (!(rig.fleet.truth().reading(vanishing, step).isPresent() && outboxEmpty(rig, vanishing))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            link.cut();
            ResultMessage end = rig.results.await(step, r -> r.reason().isPresent() || r.status() == ResultStatus.RECOVERED,
                    SystemRig.RESULT_WAIT).map(org.psametering.cli.mqtt.ResultWatcher.Received::result).orElseThrow(
                            () -> new AssertionError("no final result for " + step + ": " + rig.results.history(step)));
            assertEquals(ResultStatus.INCOMPLETE, end.status(), "history " + rig.results.history(step));
            assertEquals(java.util.Optional.of(org.psametering.protocol.ResultReason.RECOVERY_UNANSWERED), end.reason());
            assertTrue(end.sum().isEmpty(), "never a partial or wrong sum");
            assertTrue(rig.results.history(step).stream().noneMatch(r -> r.sum().isPresent()));
        }
    }

    private static boolean outboxEmpty(SystemRig rig, String meter) {
        return rig.fleet.meters().stream().filter(m -> m.meterId().equals(meter)).allMatch(m -> m.stats().outboxSize() == 0);
    }

    @Test
    void aHeadEndRestartedInTheMiddleOfARecoveryFinishesItExactly(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-restart", METERS, METERS, SystemRig.STEP_SECONDS / 2, false, true,
                PsaParameters.RECOVERABLE);
             TcpRelay link = new TcpRelay(rig.broker.port())) {
            List<String> ids = SystemRig.memberIds(METERS);
            String late = rig.startMetersWithLastBehind(METERS, 1, link).get(0);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            rig.fleet.stopMeter(0);

            long step = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(rig.fleet.truth().reading(late, step).isPresent() && outboxEmpty(rig, late)) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            link.cut(); // its answer cannot come yet: the recovery stays open
            rig.awaitStatus(step, ResultStatus.RECOVERING);
            rig.headEnd.close(); // the head-end dies in the middle of the recovery

            link.restore();
            GroupSettings group = rig.group();
            try (HeadEnd restarted = HeadEnd.start(LocalHeadEndConfig.of(dir.resolve("head-end"), rig.broker.url(),
                    (int) (SystemRig.REAL_STEP.toMillis() / 40), group), rig.clock)) {
                ResultMessage end = rig.results.await(step, r -> r.reason().isPresent() || r.status() == ResultStatus.RECOVERED,
                        SystemRig.RESULT_WAIT).map(org.psametering.cli.mqtt.ResultWatcher.Received::result).orElseThrow(
                                () -> new AssertionError("no final result for " + step + ": " + rig.results.history(step)));
                assertEquals(ResultStatus.RECOVERED, end.status(), "history " + rig.results.history(step));
                assertEquals(trueSumOver(rig, step, ids.subList(1, METERS)), end.sum().orElseThrow());
            }
        }
    }
}
