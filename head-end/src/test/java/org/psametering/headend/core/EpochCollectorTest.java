package org.psametering.headend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.headend.core.EpochKeySetupTest.assertReason;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.CiphertextMessage;
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

    @Test
    void completesWhenEveryMemberReported() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        Ciphertext fromA = ciphertext("a", label, 100);
        collector.reserve("a", fromA, now);
        collector.reserve("b", ciphertext("b", label, 250), now);
        assertTrue(collector.tryComplete(label, now).isEmpty());
        collector.reserve("c", ciphertext("c", label, 5), now);
        StepResult result = collector.tryComplete(label, now).orElseThrow();
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
        collector.reserve("a", first, now);
        assertReason(RejectReason.DUPLICATE, () -> collector.reserve("a", first, now));
        assertEquals(1, collector.pendingCount());
    }

    @Test
    void missingMembersGiveIncompleteThenLateArrivalCompletes() {
        long label = ACTIVE_FROM;
        Instant now = endOf(label);
        collector.reserve("a", ciphertext("a", label, 10), now);
        collector.reserve("c", ciphertext("c", label, 30), now);
        assertTrue(collector.closeExpired(now).isEmpty(), "deadline not yet passed");

        Instant afterDeadline = endOf(label).plusSeconds(60);
        List<StepResult> closed = collector.closeExpired(afterDeadline);
        assertEquals(1, closed.size());
        assertEquals(ResultStatus.INCOMPLETE, closed.get(0).status());
        assertEquals(List.of("b"), closed.get(0).missing());
        assertEquals(2, closed.get(0).reported());
        assertTrue(collector.closeExpired(afterDeadline).isEmpty(), "an incomplete step is recorded once");

        collector.reserve("b", ciphertext("b", label, 20), afterDeadline);
        assertEquals(OptionalLong.of(60), collector.tryComplete(label, afterDeadline).orElseThrow().sum());
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
