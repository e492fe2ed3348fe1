package org.psametering.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.psametering.cli.sim.AcknowledgedCiphertexts;
import org.psametering.cli.sim.TrueSums;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RefusedCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;

/** The soak's verdict must catch what it claims to catch: a wrong sum, a sum over a missing reading, a lost ciphertext. */
class SoakAccountingTest {
    private static final List<String> MEMBERS = List.of("a", "b");
    private static final long FIRST = 100;

    private final TrueSums truth = new TrueSums();
    private final AcknowledgedCiphertexts acked = new AcknowledgedCiphertexts();
    private final SoakAccounting accounting = new SoakAccounting(MEMBERS, truth);

    @BeforeEach
    void twoStepsEncryptedAndAcknowledged() {
        for (long label = FIRST; label <= FIRST + 1; label++) {
            truth.onReadingEncrypted("a", label, 10);
            truth.onReadingEncrypted("b", label, 5);
            acked.onCiphertextAcknowledged("a", 0, label);
            acked.onCiphertextAcknowledged("b", 0, label);
        }
    }

    @Test
    void exactResultsUseEveryAcknowledgedCiphertext() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), complete(FIRST + 1, 15)), List.of(), List.of());
        assertEquals(2, f.steps());
        assertEquals(2, f.exact());
        assertEquals(0, f.wrong());
        assertEquals(0, f.lost());
        assertEquals(4, f.summed());
    }

    @Test
    void aStoredOrPublishedSumThatIsNotTheTruthIsWrong() {
        SoakAccounting.Figures stored = account(List.of(complete(FIRST, 16), complete(FIRST + 1, 15)), List.of(), List.of());
        assertEquals(1, stored.wrong());
        assertEquals(1, stored.exact());
        SoakAccounting.Figures published = account(List.of(complete(FIRST, 15), complete(FIRST + 1, 15)),
                List.of(ResultMessage.complete("g", 0, FIRST + 1, 14)), List.of());
        assertEquals(1, published.wrong());
    }

    @Test
    void aSumOverAReadingThatWasNeverEncryptedIsWrong() {
        truth.onReadingEncrypted("a", FIRST + 2, 10); // b never encrypted FIRST + 2
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), complete(FIRST + 1, 15), complete(FIRST + 2, 10)), List.of(),
                List.of());
        assertEquals(1, f.wrong());
    }

    @Test
    void anIncompleteStepIsNotWrongAndItsStoredCiphertextsAreNotLost() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), incomplete(FIRST + 1, "b")), List.of(),
                List.of(pending("a", FIRST + 1), pending("b", FIRST + 1)));
        assertEquals(0, f.wrong());
        assertEquals(1, f.incomplete());
        assertEquals(0, f.lost());
        assertEquals(2, f.heldInIncomplete());
        assertEquals(1, f.incompleteAllAcked(), "both were acknowledged, yet the step stayed INCOMPLETE");
    }

    @Test
    void anAcknowledgedCiphertextNeitherStoredNorInAResultIsLost() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), incomplete(FIRST + 1, "b")), List.of(),
                List.of(pending("a", FIRST + 1)));
        assertEquals(1, f.lost());
        assertEquals(List.of("b epoch 0 label 101: step recorded INCOMPLETE missing [b]"), f.lostCiphertexts());
    }

    @Test
    void aStepWithoutAnyRecordedResultIsCounted() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST + 1, 15)), List.of(), List.of(pending("a", FIRST), pending("b", FIRST)));
        assertEquals(1, f.noResult());
        assertEquals(0, f.lost());
    }

    @Test
    void aCiphertextRefusedAfterItsStepsRecoveryIsNotLostButATrulyMissingOneIs() {
        SoakAccounting.Figures refused = account(List.of(complete(FIRST, 15), recovered(FIRST + 1, 10, "b")), List.of(),
                new SoakAccounting.HeadEndRecords(List.of(), List.of(afterRecovery("b", FIRST + 1)), 2));
        assertEquals(0, refused.lost());
        assertEquals(1, refused.refusedAfterRecovery());
        assertEquals(3, refused.summed(), "a and b at the first step, a at the recovered one");
        assertEquals(1, refused.recovered());

        SoakAccounting.Figures missing = account(List.of(complete(FIRST, 15), recovered(FIRST + 1, 10, "b")), List.of(),
                new SoakAccounting.HeadEndRecords(List.of(), List.of(), 2));
        assertEquals(1, missing.lost(), "no record of its refusal: a loss, whatever the counter says");
        assertEquals(0, missing.refusedAfterRecovery());
        assertEquals(List.of("b epoch 0 label 101: step recorded RECOVERED missing [b]"), missing.lostCiphertexts());
    }

    @Test
    void aRefusalAfterAFailedRecoveryIsNotLostAndTheReportingMetersCiphertextIsHeld() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), recoveryFailed(FIRST + 1, "b")), List.of(),
                new SoakAccounting.HeadEndRecords(List.of(pending("a", FIRST + 1)), List.of(afterRecovery("b", FIRST + 1)), 1));
        assertEquals(0, f.lost());
        assertEquals(1, f.refusedAfterRecovery());
        assertEquals(1, f.heldInIncomplete());
        assertEquals(1, f.incomplete());
    }

    @Test
    void aRefusalRecordIsNoEvidenceWithoutARecoveryOfItsStepOrWithoutTheCounter() {
        SoakAccounting.Figures noRecovery = account(List.of(complete(FIRST, 15), incomplete(FIRST + 1, "b")), List.of(),
                new SoakAccounting.HeadEndRecords(List.of(pending("a", FIRST + 1)), List.of(afterRecovery("b", FIRST + 1)), 1));
        assertEquals(1, noRecovery.lost(), "a plain INCOMPLETE step never asked for a recovery");
        SoakAccounting.Figures notCounted = account(List.of(complete(FIRST, 15), recovered(FIRST + 1, 10, "b")), List.of(),
                new SoakAccounting.HeadEndRecords(List.of(), List.of(afterRecovery("b", FIRST + 1)), 0));
        assertEquals(1, notCounted.lost(), "the head-end's AFTER_RECOVERY counter must cover its records");
        assertEquals(0, notCounted.refusedAfterRecovery());
    }

    @Test
    void aRecoveredResultUsesOnlyTheCiphertextsOfItsReportingMeters() {
        SoakAccounting.Figures f = account(List.of(complete(FIRST, 15), recovered(FIRST + 1, 10, "b")), List.of(), List.of());
        assertEquals(0, f.wrong());
        assertEquals(3, f.summed());
        assertEquals(1, f.lost(), "b's acknowledged ciphertext is not in the recovered sum and nothing says why");
    }

    private SoakAccounting.Figures account(List<StepResult> stored, List<ResultMessage> published, List<PendingCiphertext> pending) {
        return account(stored, published, new SoakAccounting.HeadEndRecords(pending, List.of(), 0));
    }

    private SoakAccounting.Figures account(List<StepResult> stored, List<ResultMessage> published, SoakAccounting.HeadEndRecords records) {
        return accounting.account(FIRST, stored, published, records, acked, List.of());
    }

    private static StepResult recovered(long label, long sum, String missing) {
        return new StepResult("g", 0, label, Instant.EPOCH, 900, ResultStatus.RECOVERED, OptionalLong.of(sum), List.of(missing), 1,
                Instant.EPOCH);
    }

    private static StepResult recoveryFailed(long label, String missing) {
        return new StepResult("g", 0, label, Instant.EPOCH, 900, ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of(missing), 1,
                Instant.EPOCH, Optional.of(ResultReason.RECOVERY_UNANSWERED));
    }

    private static RefusedCiphertext afterRecovery(String meter, long label) {
        return new RefusedCiphertext("g", 0, meter, label, RejectReason.AFTER_RECOVERY);
    }

    private static StepResult complete(long label, long sum) {
        return new StepResult("g", 0, label, Instant.EPOCH, 900, ResultStatus.COMPLETE, OptionalLong.of(sum), List.of(), 2, Instant.EPOCH);
    }

    private static StepResult incomplete(long label, String missing) {
        return new StepResult("g", 0, label, Instant.EPOCH, 900, ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of(missing), 1,
                Instant.EPOCH);
    }

    private static PendingCiphertext pending(String meter, long label) {
        return new PendingCiphertext("g", 0, meter, new Ciphertext(label, 0, 1));
    }
}
