package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.RefusedCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.RefusalStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * Recovery of steps with missing meters through the whole head-end core (embedded H2, real crypto, broker replaced by
 * direct calls): request after the deadline, answers, the exact sum over the reporting meters, late ciphertexts
 * refused, INCOMPLETE when an answer does not come or too few reported, and a restart in the middle.
 */
class RecoveryFlowTest {
    private static final int STEP = 900;
    private static final int DEADLINE = 60;
    private static final int WINDOW = 30;
    private static final String G = "feeder-9";
    private static final GroupSettings GROUP = new GroupSettings(G, PsaParameters.RECOVERABLE.name(), STEP, DEADLINE, 4 * STEP,
            List.of("m1", "m2", "m3", "m4", "m5", "m6")).withRecovery(3, WINDOW);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private Map<String, TestMeter> meters;
    private long label;

    private CoreHarness open(GroupSettings settings) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, settings);
    }

    private CoreHarness activeGroup(GroupSettings settings) {
        CoreHarness h = open(settings);
        meters = h.setUpKeys(G);
        label = h.announcement(G).activeFromLabel().orElseThrow();
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
        return h;
    }

    private Map<String, TestMeter> only(String... ids) {
        Map<String, TestMeter> some = new LinkedHashMap<>();
        for (String id : ids) {
            some.put(id, meters.get(id));
        }
        return some;
    }

    private void pastDeadline() {
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + DEADLINE + 1));
    }

    private static StepResult stored(CoreHarness h, long label) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    private static byte[] request(CoreHarness h) {
        return h.publisher.last(Topics.recovery(G, 0)).orElseThrow().payload();
    }

    private void answer(CoreHarness h, String meter, byte[] request) {
        h.deliver(Topics.recoveryAnswer(G, 0, meter), meters.get(meter).recoveryAnswerPayload(request));
    }

    @Test
    void missingMetersAtTheDeadlineGiveTheExactSumOverTheReportingOnes() {
        try (CoreHarness h = activeGroup(GROUP)) {
            long expected = h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4"), 1234);
            pastDeadline();
            h.core.tick();

            StepResult recovering = stored(h, label);
            assertEquals(ResultStatus.RECOVERING, recovering.status());
            assertEquals(List.of("m5", "m6"), recovering.missing());
            assertEquals(4, recovering.reported());
            byte[] request = request(h);
            assertEquals(new RecoveryRequestMessage(G, 0, label, List.of("m5", "m6")), RecoveryRequestMessage.fromJson(request));
            assertTrue(!h.publisher.last(Topics.recovery(G, 0)).orElseThrow().retained(), "requests are not retained");

            int acks = h.acks.get();
            for (String m : List.of("m1", "m2", "m3")) {
                answer(h, m, request);
            }
            assertEquals(acks + 3, h.acks.get(), "each answer is acknowledged once stored");
            assertEquals(ResultStatus.RECOVERING, stored(h, label).status(), "no sum before every reporting meter answered");
            answer(h, "m4", request);

            StepResult recovered = stored(h, label);
            assertEquals(ResultStatus.RECOVERED, recovered.status());
            assertEquals(OptionalLong.of(expected), recovered.sum(), "the exact sum over m1..m4");
            assertEquals(List.of("m5", "m6"), recovered.missing());
            assertEquals(4, recovered.reported());
            ResultMessage published = ResultMessage.fromJson(h.publisher.last(Topics.result(G)).orElseThrow().payload());
            assertEquals(ResultStatus.RECOVERED, published.status());
            assertEquals(1, h.core.counters().recoveriesRequested());
            assertEquals(1, h.core.counters().recoveredResults());
            assertEquals(OptionalLong.of(expected), published.sum());
        }
    }

    @Test
    void aLateCiphertextForARecoveredLabelIsRefusedWithItsOwnReasonAndTheSumStays() {
        try (CoreHarness h = activeGroup(GROUP)) {
            long expected = h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            byte[] late = meters.get("m6").ciphertextPayload(label, 999);
            h.deliver(Topics.ciphertext(G, 0, "m6"), late); // after the request, before the answers
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY));
            byte[] request = request(h);
            for (String m : List.of("m1", "m2", "m3", "m4", "m5")) {
                answer(h, m, request);
            }
            h.deliver(Topics.ciphertext(G, 0, "m6"), late); // after the recovery
            assertEquals(2, h.core.rejections().get(RejectReason.AFTER_RECOVERY));
            h.core.tick();
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.RECOVERED, result.status());
            assertEquals(OptionalLong.of(expected), result.sum());
            assertEquals(List.of(new RefusedCiphertext(G, 0, "m6", label, RejectReason.AFTER_RECOVERY)), refusals(h),
                    "one durable record per (meter, label), whatever the number of copies");
        }
    }

    @Test
    void aCopyFromAReportingMeterAfterTheRequestIsADuplicateNotALateCiphertext() {
        try (CoreHarness h = activeGroup(GROUP)) {
            byte[] copy = meters.get("m1").ciphertextPayload(label, 10);
            h.deliver(Topics.ciphertext(G, 0, "m1"), copy);
            long expected = 10 + h.sendStep(G, 0, label, only("m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            long duplicates = h.core.rejections().get(RejectReason.DUPLICATE);
            h.deliver(Topics.ciphertext(G, 0, "m1"), copy); // a re-send by a meter that reported
            byte[] request = request(h);
            for (String m : List.of("m1", "m2", "m3", "m4", "m5")) {
                answer(h, m, request);
            }
            h.deliver(Topics.ciphertext(G, 0, "m1"), copy);
            assertEquals(duplicates + 2, h.core.rejections().get(RejectReason.DUPLICATE));
            assertEquals(0, h.core.rejections().get(RejectReason.AFTER_RECOVERY), "m1 is not missing: its copy is no late reading");
            assertTrue(refusals(h).isEmpty());
            assertEquals(OptionalLong.of(expected), stored(h, label).sum());
        }
    }

    private static List<RefusedCiphertext> refusals(CoreHarness h) {
        return new RefusalStore(h.db).load(G, 0);
    }

    @Test
    void aLateCiphertextAfterAFailedRecoveryIsStillRefusedAndRecorded() {
        try (CoreHarness h = activeGroup(GROUP)) {
            h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            answer(h, "m1", request(h)); // the others never answer: partial answers are out
            clock.set(clock.instant().plusSeconds(WINDOW));
            h.core.tick();
            assertEquals(Optional.of(ResultReason.RECOVERY_UNANSWERED), stored(h, label).reason());
            int acks = h.acks.get();
            h.deliver(Topics.ciphertext(G, 0, "m6"), meters.get("m6").ciphertextPayload(label, 7));
            assertEquals(acks + 1, h.acks.get());
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY), "with one answer out, a late one could leak");
            assertEquals(List.of(new RefusedCiphertext(G, 0, "m6", label, RejectReason.AFTER_RECOVERY)), refusals(h));
            assertEquals(ResultStatus.INCOMPLETE, stored(h, label).status());
        }
    }

    @Test
    void afterARestartALateCiphertextForARecoveredLabelIsStillRefusedAfterRecovery() {
        try (CoreHarness h = activeGroup(GROUP)) {
            h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            byte[] request = request(h);
            for (String m : List.of("m1", "m2", "m3", "m4", "m5")) {
                answer(h, m, request);
            }
            assertEquals(ResultStatus.RECOVERED, stored(h, label).status());
        }
        try (CoreHarness h = open(GROUP)) {
            h.sendStep(G, 0, label, only("m6"), 999);
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY), "not a mere DUPLICATE: the rule says why");
            assertEquals(List.of(new RefusedCiphertext(G, 0, "m6", label, RejectReason.AFTER_RECOVERY)), refusals(h));
        }
    }

    @Test
    void aRefusalWhoseRecordCannotBeStoredIsNotAcknowledgedSoTheBrokerDeliversItAgain() {
        try (CoreHarness h = activeGroup(GROUP)) {
            h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            byte[] late = meters.get("m6").ciphertextPayload(label, 999);
            h.faults.fail("INSERT INTO psa_refused", () -> new java.sql.SQLException("disk full"));
            int acks = h.acks.get();
            h.deliver(Topics.ciphertext(G, 0, "m6"), late);
            assertEquals(acks, h.acks.get(), "no record, no acknowledgement");
            assertEquals(0, h.core.rejections().get(RejectReason.AFTER_RECOVERY));
            assertTrue(refusals(h).isEmpty());
            h.faults.heal();
            h.deliver(Topics.ciphertext(G, 0, "m6"), late); // the broker's redelivery
            assertEquals(acks + 1, h.acks.get());
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY));
            assertEquals(1, refusals(h).size());
        }
    }

    @Test
    void aReportingMeterThatDoesNotAnswerInTimeLeavesTheStepIncompleteNeverAPartialSum() {
        try (CoreHarness h = activeGroup(GROUP)) {
            h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            byte[] request = request(h);
            int acks = h.acks.get();
            for (String m : List.of("m1", "m2", "m3", "m4")) {
                answer(h, m, request);
            }
            clock.set(clock.instant().plusSeconds(WINDOW));
            h.core.tick();
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.INCOMPLETE, result.status());
            assertEquals(Optional.of(ResultReason.RECOVERY_UNANSWERED), result.reason());
            assertTrue(result.sum().isEmpty());
            answer(h, "m5", request); // too late: nothing changes
            assertEquals(ResultStatus.INCOMPLETE, stored(h, label).status());
            assertEquals(1, h.core.rejections().get(RejectReason.UNEXPECTED_ANSWER));
            assertEquals(1, h.core.counters().recoveriesFailed());
        }
    }

    @Test
    void belowMinReportingTheStepIsIncompleteAndNothingIsRequested() {
        try (CoreHarness h = activeGroup(GROUP)) {
            h.sendStep(G, 0, label, only("m1", "m2"), 10);
            pastDeadline();
            h.core.tick();
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.INCOMPLETE, result.status());
            assertEquals(List.of("m3", "m4", "m5", "m6"), result.missing());
            assertTrue(h.publisher.on(Topics.recovery(G, 0)).isEmpty());
        }
    }

    @Test
    void aGroupOnASchemeOneParameterSetStaysIncompleteAsBefore() {
        GroupSettings v1 = new GroupSettings(G, PsaParameters.DEFAULT.name(), STEP, DEADLINE, 4 * STEP,
                List.of("m1", "m2", "m3", "m4", "m5", "m6")).withRecovery(3, WINDOW);
        try (CoreHarness h = activeGroup(v1)) {
            h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 10);
            pastDeadline();
            h.core.tick();
            assertEquals(ResultStatus.INCOMPLETE, stored(h, label).status());
            assertTrue(h.publisher.on(Topics.recovery(G, 0)).isEmpty());
        }
    }

    @Test
    void aRestartInTheMiddleOfARecoveryFinishesIt() {
        long expected;
        byte[] request;
        try (CoreHarness h = activeGroup(GROUP)) {
            expected = h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 500);
            pastDeadline();
            h.core.tick();
            request = request(h);
            answer(h, "m1", request);
            answer(h, "m2", request); // stored and acknowledged: the broker will not deliver them again
        }
        try (CoreHarness h = open(GROUP)) {
            assertArrayEquals(request, request(h), "the restarted head-end publishes the identical request again");
            h.sendStep(G, 0, label, only("m6"), 999);
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY), "still refused after the restart");
            for (String m : List.of("m3", "m4", "m5")) {
                answer(h, m, request);
            }
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.RECOVERED, result.status(), "the answers stored before the restart count");
            assertEquals(OptionalLong.of(expected), result.sum());
        }
    }

    @Test
    void aRecoveredResultWhoseStoreFailedIsRecordedAtTheNextScanAndAfterARestart() {
        long expected;
        try (CoreHarness h = activeGroup(GROUP)) {
            expected = h.sendStep(G, 0, label, only("m1", "m2", "m3", "m4", "m5"), 40);
            pastDeadline();
            h.core.tick();
            byte[] request = request(h);
            h.faults.fail("INSERT INTO psa_result", () -> new java.sql.SQLException("disk full"));
            for (String m : List.of("m1", "m2", "m3", "m4", "m5")) {
                answer(h, m, request);
            }
            assertEquals(ResultStatus.RECOVERING, stored(h, label).status(), "the RECOVERED result could not be stored");
        }
        try (CoreHarness h = open(GROUP)) {
            assertEquals(ResultStatus.RECOVERING, stored(h, label).status());
            h.core.tick(); // the stored answers are complete: the result is derived again
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.RECOVERED, result.status());
            assertEquals(OptionalLong.of(expected), result.sum());
        }
    }
}
