package org.psametering.headend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.headend.core.EpochKeySetupTest.assertReason;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;

class EpochCollectorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int STEP = 900;
    private static final long ACTIVE_FROM = 2_000_000;
    private static final List<String> MEMBERS = List.of("a", "b", "c");

    private final Map<String, TestMeter> meters = new LinkedHashMap<>();
    private final EpochKeySetup epoch = EpochKeySetup.start("g", 1, PsaParameters.DEFAULT, STEP, MEMBERS, RANDOM);
    private final EpochCollector collector;

    EpochCollectorTest() {
        byte[] announcement = epoch.announcement().toJson();
        for (String id : MEMBERS) {
            TestMeter meter = new TestMeter(id, PsaParameters.DEFAULT, RANDOM);
            meters.put(id, meter);
            epoch.onPublicKey(id, meter.publicKeyPayload(announcement));
        }
        byte[] keySet = epoch.keySetMessage().toJson();
        meters.values().forEach(m -> epoch.onBlindedKey(m.id(), m.blindedKeyPayload(keySet)));
        epoch.activate(ACTIVE_FROM);
        collector = new EpochCollector(epoch, 60, 4L * STEP);
    }

    /** Just after the end of the step with this label: when meters send it. */
    private static Instant endOf(long label) {
        return Instant.ofEpochSecond((label + 1) * STEP + 1);
    }

    private Ciphertext ciphertext(String meter, long label, long reading) {
        byte[] payload = meters.get(meter).ciphertextPayload(label, reading);
        return Encodings.decodeCiphertext(CiphertextMessage.parse(payload).ciphertextEncoding());
    }

    /** Reserve, then the batch is durable (what the core does). */
    private void store(String meter, Ciphertext ct, Instant now) {
        collector.reserve(meter, ct, now);
        collector.markStored(meter, ct.label());
    }

    /** The result the collector calls for, stored successfully. */
    private StepResult record(Optional<StepResult> result) {
        collector.recorded(result.orElseThrow());
        return result.get();
    }

    @Test
    void completesWhenEveryMemberReported() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        Ciphertext fromA = ciphertext("a", label, 100);
        store("a", fromA, now);
        store("b", ciphertext("b", label, 250), now);
        assertTrue(collector.resultAfterStore(label, now).isEmpty());
        store("c", ciphertext("c", label, 5), now);
        StepResult result = record(collector.resultAfterStore(label, now));
        assertEquals(ResultStatus.COMPLETE, result.status());
        assertEquals(OptionalLong.of(355), result.sum());
        assertEquals(Instant.ofEpochSecond(label * STEP), result.stepStart());
        // a late duplicate of a completed step is refused, not re-aggregated
        assertReason(RejectReason.DUPLICATE, () -> collector.reserve("a", fromA, now));
    }

    @Test
    void duplicateFromTheSameMeterIsRefused() {
        Instant now = endOf(ACTIVE_FROM);
        Ciphertext first = ciphertext("a", ACTIVE_FROM, 1);
        store("a", first, now);
        assertReason(RejectReason.DUPLICATE, () -> collector.reserve("a", first, now));
        assertEquals(1, collector.pendingCount());
    }

    /** Issue 14 defect 7: a copy of a ciphertext whose first copy is not stored yet is no acknowledgeable DUPLICATE. */
    @Test
    void aCopyOfAReservedButUnstoredCiphertextWaitsForTheStore() {
        Instant now = endOf(ACTIVE_FROM);
        Ciphertext first = ciphertext("a", ACTIVE_FROM, 1);
        collector.reserve("a", first, now);
        assertThrows(AwaitingStore.class, () -> collector.reserve("a", first, now));
        collector.release("a", ACTIVE_FROM);
        collector.reserve("a", first, now);
        assertEquals(1, collector.pendingCount());
    }

    /** Issue 14 defect 5: a result whose store failed is offered again, and the step's inputs are not purged. */
    @Test
    void aCompleteResultThatWasNotStoredIsOfferedAgainAtTheDeadline() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        for (String m : MEMBERS) {
            store(m, ciphertext(m, label, 1), now);
        }
        assertEquals(ResultStatus.COMPLETE, collector.resultAfterStore(label, now).orElseThrow().status());
        // the store failed: recorded() is not called
        Instant later = endOf(label + 1).plusSeconds(60);
        List<StepResult> due = collector.closeExpired(later);
        assertEquals(ResultStatus.COMPLETE, due.get(0).status(), "the complete step again, not an INCOMPLETE with nobody missing");
        assertEquals(OptionalLong.of(3), due.get(0).sum());
        Instant pastWindow = endOf(label + 8);
        collector.closeExpired(pastWindow);
        assertTrue(collector.purgeBefore(pastWindow) <= label, "inputs of a step without a stored result are kept");
        collector.recorded(due.get(0));
        assertTrue(collector.purgeBefore(pastWindow) > label);
    }

    /** Issue 8 defect 7: an INCOMPLETE record follows the late ciphertexts that were stored after it. */
    @Test
    void aLateCiphertextThatDoesNotCompleteTheStepUpdatesTheIncompleteRecord() {
        long label = ACTIVE_FROM;
        Instant afterDeadline = endOf(label).plusSeconds(60);
        StepResult first = collector.closeExpired(afterDeadline).get(0);
        collector.recorded(first);
        assertEquals(0, first.reported());
        store("a", ciphertext("a", label, 1), afterDeadline);
        StepResult updated = record(collector.resultAfterStore(label, afterDeadline));
        assertEquals(ResultStatus.INCOMPLETE, updated.status());
        assertEquals(1, updated.reported());
        assertEquals(List.of("b", "c"), updated.missing());
    }

    /** Issue 14 defect 8b: an authenticated ciphertext that is no share gives a named INCOMPLETE, never a sum. */
    @Test
    void anAggregationThatFailsIsRecordedIncompleteWithItsReason() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        store("a", ciphertext("a", label, 1), now);
        store("b", ciphertext("b", label, 1), now);
        store("c", new Ciphertext(label, 0x1_2345L, 0x0fed_cba9_8765_4321L), now);
        StepResult result = record(collector.resultAfterStore(label, now));
        assertEquals(ResultStatus.INCOMPLETE, result.status());
        assertEquals(Optional.of(ResultReason.AGGREGATION_FAILED), result.reason());
        assertEquals(List.of(), result.missing());
        assertTrue(result.isFinal());
        assertTrue(collector.closeExpired(endOf(label).plusSeconds(60)).isEmpty(), "final: not offered again");
    }

    @Test
    void missingMembersGiveIncompleteThenLateArrivalCompletes() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        store("a", ciphertext("a", label, 10), now);
        store("c", ciphertext("c", label, 30), now);
        assertTrue(collector.closeExpired(now).isEmpty(), "deadline not yet passed");

        Instant afterDeadline = endOf(label).plusSeconds(60);
        List<StepResult> closed = collector.closeExpired(afterDeadline);
        assertEquals(1, closed.size());
        assertEquals(ResultStatus.INCOMPLETE, closed.get(0).status());
        assertEquals(List.of("b"), closed.get(0).missing());
        assertEquals(2, closed.get(0).reported());
        collector.recorded(closed.get(0));
        assertTrue(collector.closeExpired(afterDeadline).isEmpty(), "an incomplete step is recorded once");

        store("b", ciphertext("b", label, 20), afterDeadline);
        assertEquals(OptionalLong.of(60), collector.resultAfterStore(label, afterDeadline).orElseThrow().sum());
    }

    @Test
    void stepsWithoutAnyReportAreIncompleteWithEveryMemberMissing() {
        List<StepResult> closed = collector.closeExpired(endOf(ACTIVE_FROM + 1).plusSeconds(60));
        assertEquals(List.of(ACTIVE_FROM, ACTIVE_FROM + 1), closed.stream().map(StepResult::label).toList());
        assertEquals(MEMBERS, closed.get(0).missing());
    }

    @Test
    void labelsOutsideTheEpochOrTheWindowAreRefused() {
        Instant now = endOf(ACTIVE_FROM + 10);
        // a meter encrypts each label once, in increasing order: make them in that order
        Ciphertext beforeEpoch = ciphertext("a", ACTIVE_FROM - 1, 1);
        Ciphertext beforeWindow = ciphertext("a", ACTIVE_FROM + 2, 1);
        Ciphertext lastOfEpoch = ciphertext("a", ACTIVE_FROM + 9, 1);
        Ciphertext farFuture = ciphertext("a", ACTIVE_FROM + 13, 1);
        Ciphertext atEnd = ciphertext("b", ACTIVE_FROM + 10, 1);
        assertReason(RejectReason.WRONG_EPOCH, () -> collector.reserve("a", beforeEpoch, now));
        assertReason(RejectReason.TOO_OLD, () -> collector.reserve("a", beforeWindow, now));
        assertReason(RejectReason.TOO_NEW, () -> collector.reserve("a", farFuture, now));
        assertReason(RejectReason.UNKNOWN_METER, () -> collector.reserve("zz", atEnd, now));
        collector.endAt(ACTIVE_FROM + 10);
        assertReason(RejectReason.WRONG_EPOCH, () -> collector.reserve("b", atEnd, now));
        collector.reserve("a", lastOfEpoch, now);
        assertEquals(1, collector.pendingCount());
    }

    @Test
    void releaseUndoesAReservation() {
        Instant now = endOf(ACTIVE_FROM);
        Ciphertext ct = ciphertext("a", ACTIVE_FROM, 1);
        collector.reserve("a", ct, now);
        collector.release("a", ACTIVE_FROM);
        collector.reserve("a", ct, now);
        assertEquals(1, collector.pendingCount());
    }
}
