package org.psametering.crypto.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.PairwiseSeeds;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.psa.PsaScheme;

/** End to end through the real key setup: the recovered sum is exactly the sum over the reporting meters. */
class RecoveryRoundTripTest {

    /** Same arithmetic as the production set at a small dimension, so that many random groups stay cheap. */
    static final PsaParameters SMALL = new PsaParameters("test-n64-rec", 0xFFF0, 64, 128, 85, 0,
            PsaScheme.V2_RECOVERABLE);

    private static final RecoveryPolicy POLICY = new RecoveryPolicy(2);

    /** One encrypted step of a group, and everything the head-end keeps. */
    record Step(TestGroups.Setup setup, long label, long[] readings, Map<MeterId, Ciphertext> ciphertexts) {

        static Step encrypt(TestGroups.Setup setup, long label, long[] readings) {
            Map<MeterId, Ciphertext> cts = new HashMap<>();
            for (int i = 0; i < readings.length; i++) {
                TestGroups.Meter m = setup.meters().get(i);
                cts.put(m.id(), new PsaEncryptor(m.key(), setup.group(), label - 1).encrypt(label, readings[i]));
            }
            return new Step(setup, label, readings, cts);
        }

        RecoveryRequest request(SortedSet<MeterId> missing) {
            return new RecoveryRequest(setup.group(), label, missing);
        }

        /** Every reporting meter runs the policy and answers. */
        Map<MeterId, RecoveryAnswer> answers(RecoveryRequest request) {
            Map<MeterId, RecoveryAnswer> answers = new HashMap<>();
            for (TestGroups.Meter m : setup.meters()) {
                if (request.missing().contains(m.id())) {
                    continue;
                }
                RecoveryDecision d = POLICY.decide(request, m.id(), setup.keySet(), label, Optional.empty());
                RecoveryDecision.Answer ok = assertInstanceOfAnswer(d);
                answers.put(m.id(), RecoveryResponder.answer(ok.permit(), m.agreement()));
            }
            return answers;
        }

        Map<MeterId, BlindedKey> blindedKeysOf(SortedSet<MeterId> missing) {
            Map<MeterId, BlindedKey> out = new HashMap<>();
            for (BlindedKey b : setup.blinded()) {
                if (missing.contains(b.meterId())) {
                    out.put(b.meterId(), b);
                }
            }
            return out;
        }

        Map<MeterId, Ciphertext> reportingCiphertexts(SortedSet<MeterId> missing) {
            Map<MeterId, Ciphertext> out = new HashMap<>(ciphertexts);
            out.keySet().removeAll(missing);
            return out;
        }

        long sumOverReporting(SortedSet<MeterId> missing) {
            long sum = 0;
            for (int i = 0; i < readings.length; i++) {
                if (!missing.contains(setup.meters().get(i).id())) {
                    sum += readings[i];
                }
            }
            return sum;
        }

        long recover(SortedSet<MeterId> missing) {
            RecoveryRequest request = request(missing);
            return new RecoveryAggregator(setup.aggregationKey(), setup.keySet()).recover(request,
                    blindedKeysOf(missing), reportingCiphertexts(missing), answers(request));
        }
    }

    static RecoveryDecision.Answer assertInstanceOfAnswer(RecoveryDecision d) {
        assertTrue(d instanceof RecoveryDecision.Answer, () -> "refused: " + d);
        return (RecoveryDecision.Answer) d;
    }

    static SortedSet<MeterId> ids(int... indices) {
        TreeSet<MeterId> out = new TreeSet<>();
        for (int i : indices) {
            out.add(TestGroups.meterId(i));
        }
        return out;
    }

    @Test
    void everyMissingSetOfAFiveMeterGroupRecoversExactlyAtTheProductionParameters() {
        GroupContext group = new GroupContext("g-rec5", 4, 5, PsaParameters.RECOVERABLE);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-five");
        long xMax = group.maxReading();
        Step max = Step.encrypt(setup, 100, new long[] {xMax, xMax, xMax, xMax, xMax});
        Step mixed = Step.encrypt(setup, 101, new long[] {0, 1, xMax, 123_456_789, xMax - 1});
        for (int bits = 1; bits < 32; bits++) {
            SortedSet<MeterId> missing = new TreeSet<>();
            for (int i = 0; i < 5; i++) {
                if ((bits & (1 << i)) != 0) {
                    missing.add(TestGroups.meterId(i));
                }
            }
            if (5 - missing.size() < 2) {
                continue;
            }
            for (Step step : List.of(max, mixed)) {
                assertEquals(step.sumOverReporting(missing), step.recover(missing), "missing " + missing);
            }
        }
    }

    @Test
    void randomGroupsWithRandomMissingSetsRecoverExactly() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int round = 0; round < 12; round++) {
            int size = 3 + random.nextInt(22);
            GroupContext group = new GroupContext("g-rnd" + round, round, size, SMALL);
            TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-random-" + round);
            long xMax = group.maxReading();
            long[] readings = new long[size];
            for (int i = 0; i < size; i++) {
                readings[i] = switch (random.nextInt(3)) {
                    case 0 -> xMax;
                    case 1 -> 0;
                    default -> random.nextLong(xMax + 1);
                };
            }
            Step step = Step.encrypt(setup, 1_000 + round, readings);
            int missingCount = 1 + random.nextInt(size - 2);
            SortedSet<MeterId> missing = new TreeSet<>();
            while (missing.size() < missingCount) {
                missing.add(TestGroups.meterId(random.nextInt(size)));
            }
            assertEquals(step.sumOverReporting(missing), step.recover(missing), "N=" + size + " missing " + missing);
        }
    }

    @Test
    void aCompleteStepOfTheRecoverableSchemeDecryptsWithoutRecovery() {
        GroupContext group = new GroupContext("g-full", 1, 4, PsaParameters.RECOVERABLE);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-complete");
        long xMax = group.maxReading();
        Step step = Step.encrypt(setup, 7, new long[] {xMax, xMax, 0, 5});
        List<Ciphertext> all = new ArrayList<>();
        setup.meters().forEach(m -> all.add(step.ciphertexts().get(m.id())));
        assertEquals(2 * xMax + 5, new PsaAggregator(setup.aggregationKey(), group).aggregate(7, all));
    }

    @Test
    void anEmptyMissingSetIsNotARecovery() {
        GroupContext group = new GroupContext("g-empty", 1, 4, PsaParameters.RECOVERABLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecoveryRequest(group, 3, new TreeSet<>()));
        assertTrue(e.getMessage().contains("aggregate the complete step"), e.getMessage());
    }

    @Test
    void aSchemeV1GroupCannotBeRecovered() {
        GroupContext v1 = new GroupContext("g-v1", 1, 4, PsaParameters.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> new RecoveryRequest(v1, 3, ids(1)));
        TestGroups.Setup setup = TestGroups.withKeySetup(new GroupContext("g-v1", 1, 3, PsaParameters.KHPRF_2021),
                "v1");
        assertThrows(IllegalArgumentException.class,
                () -> new RecoveryAggregator(setup.aggregationKey(), setup.keySet()));
    }

    @Test
    void answersAreDeterministicSoARepeatedRequestGetsTheSameBytes() {
        GroupContext group = new GroupContext("g-rep", 2, 4, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-repeat");
        RecoveryRequest request = new RecoveryRequest(group, 50, ids(3));
        TestGroups.Meter m = setup.meters().get(0);
        RecoveryDecision.Answer first = assertInstanceOfAnswer(
                POLICY.decide(request, m.id(), setup.keySet(), 50, Optional.empty()));
        RecoveryAnswer a1 = RecoveryResponder.answer(first.permit(), m.agreement());
        RecoveryDecision.Answer again = assertInstanceOfAnswer(
                POLICY.decide(request, m.id(), setup.keySet(), 50, Optional.of(first.permit().record())));
        assertTrue(again.repeat());
        RecoveryAnswer a2 = RecoveryResponder.answer(again.permit(), m.agreement());
        assertEquals(a1, a2);
        assertArrayEquals(request.digest(), a1.requestDigest());
    }

    @Test
    void theHeadEndRejectsAnswersThatDoNotMatchTheRequest() {
        GroupContext group = new GroupContext("g-bad", 2, 5, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-bad");
        Step step = Step.encrypt(setup, 9, new long[] {1, 2, 3, 4, 5});
        SortedSet<MeterId> missing = ids(4);
        RecoveryRequest request = step.request(missing);
        RecoveryAggregator aggregator = new RecoveryAggregator(setup.aggregationKey(), setup.keySet());
        Map<MeterId, RecoveryAnswer> answers = step.answers(request);
        Map<MeterId, Ciphertext> cts = step.reportingCiphertexts(missing);
        Map<MeterId, BlindedKey> keys = step.blindedKeysOf(missing);
        assertEquals(10, aggregator.recover(request, keys, cts, answers));

        // an answer computed for another missing set (same label) is never combined with this request
        Map<MeterId, RecoveryAnswer> foreign = new HashMap<>(answers);
        MeterId m0 = TestGroups.meterId(0);
        foreign.put(m0, step.answers(step.request(ids(3, 4))).get(m0));
        assertThrows(IllegalArgumentException.class, () -> aggregator.recover(request, keys, cts, foreign));

        // a reporting meter without answer, or a ciphertext from a missing meter
        Map<MeterId, RecoveryAnswer> fewer = new HashMap<>(answers);
        fewer.remove(m0);
        assertThrows(IllegalArgumentException.class, () -> aggregator.recover(request, keys, cts, fewer));
        Map<MeterId, Ciphertext> swapped = new HashMap<>(cts);
        swapped.remove(m0);
        swapped.put(TestGroups.meterId(4), step.ciphertexts().get(TestGroups.meterId(4)));
        assertThrows(IllegalArgumentException.class, () -> aggregator.recover(request, keys, swapped, answers));

        // blinded keys of the wrong meters
        assertThrows(IllegalArgumentException.class,
                () -> aggregator.recover(request, step.blindedKeysOf(ids(3)), cts, answers));
        Map<MeterId, BlindedKey> mislabelled = Map.of(TestGroups.meterId(4), step.blindedKeysOf(ids(3)).values()
                .iterator().next());
        assertThrows(IllegalArgumentException.class, () -> aggregator.recover(request, mislabelled, cts, answers));
    }

    @Test
    void aReportingMeterThatNeverAnswersLeavesTheStepUnrecoverable() {
        GroupContext group = new GroupContext("g-gone", 2, 5, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-gone");
        Step step = Step.encrypt(setup, 9, new long[] {1, 2, 3, 4, 5});
        SortedSet<MeterId> missing = ids(4);
        RecoveryRequest request = step.request(missing);
        Map<MeterId, RecoveryAnswer> answers = step.answers(request);
        answers.remove(TestGroups.meterId(2));
        RecoveryAggregator aggregator = new RecoveryAggregator(setup.aggregationKey(), setup.keySet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> aggregator.recover(request,
                step.blindedKeysOf(missing), step.reportingCiphertexts(missing), answers));
        assertTrue(e.getMessage().contains("exactly 4"), e.getMessage());
    }

    @Test
    void theMissingMetersSharesSumToTheReportingMetersResiduals() {
        // the lemma of README 11.1 at the vector level: with zero PSA keys a blinded key is the share itself
        GroupContext group = new GroupContext("g-lemma", 3, 7, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-lemma");
        PsaKey zero = SecretAccess.psaKeys().create(SMALL, ZqVector.zero(SMALL.n()));
        SortedSet<MeterId> missing = ids(0, 3, 6);
        ZqVector shares = ZqVector.zero(SMALL.n());
        ZqVector residuals = ZqVector.zero(SMALL.n());
        for (TestGroups.Meter m : setup.meters()) {
            if (missing.contains(m.id())) {
                shares.add(SecretAccess.blindedKeys().vector(KeySetup.blind(m.id(), m.agreement(), zero,
                        setup.keySet())));
            } else {
                residuals.add(SecretAccess.residualMasks().vector(KeySetup.residualMask(m.id(), m.agreement(),
                        setup.keySet(), missing)));
            }
        }
        org.junit.jupiter.api.Assertions.assertFalse(shares.isZero());
        assertTrue(shares.contentEquals(residuals));
    }

    @Test
    void answersFromPairwiseSeedsEqualAnswersFromAgreements() {
        GroupContext group = new GroupContext("g-seeds", 2, 6, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-seeds");
        RecoveryRequest request = new RecoveryRequest(group, 30, ids(1, 4, 5));
        for (int i : new int[] {0, 2, 3}) {
            TestGroups.Meter m = setup.meters().get(i);
            RecoveryPermit permit = assertInstanceOfAnswer(
                    POLICY.decide(request, m.id(), setup.keySet(), 30, Optional.empty())).permit();
            PairwiseSeeds seeds = PairwiseSeeds.derive(m.id(), m.agreement(), setup.keySet());
            assertEquals(RecoveryResponder.answer(permit, m.agreement()), RecoveryResponder.answer(permit, seeds));
            TestGroups.Meter other = setup.meters().get((i + 1) % 6);
            PairwiseSeeds foreign = PairwiseSeeds.derive(other.id(), other.agreement(), setup.keySet());
            assertThrows(IllegalArgumentException.class, () -> RecoveryResponder.answer(permit, foreign));
            seeds.wipe();
        }
    }

    @Test
    void seedsWithJustTheMissingPeersGiveTheSameAnswerAndRefuseOtherMissingSets() {
        GroupContext group = new GroupContext("g-part", 2, 6, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-partial-seeds");
        RecoveryRequest request = new RecoveryRequest(group, 30, ids(1, 4));
        TestGroups.Meter m = setup.meters().get(2);
        RecoveryPermit permit = assertInstanceOfAnswer(
                POLICY.decide(request, m.id(), setup.keySet(), 30, Optional.empty())).permit();
        PairwiseSeeds partial = PairwiseSeeds.derive(m.id(), m.agreement(), setup.keySet(), request.missing());
        assertEquals(RecoveryResponder.answer(permit, m.agreement()), RecoveryResponder.answer(permit, partial));
        RecoveryPermit other = assertInstanceOfAnswer(POLICY.decide(new RecoveryRequest(group, 31, ids(1, 5)), m.id(),
                setup.keySet(), 31, Optional.empty())).permit();
        assertThrows(IllegalArgumentException.class, () -> RecoveryResponder.answer(other, partial), "no seed with 5");
        partial.wipe();
    }

    /**
     * Why the rules of README 11.4 exist: a late ciphertext of a missing meter, or a second request with another
     * missing set for the same label, gives one reading by difference. The rules (enforced by the integration and by
     * RecoveryPolicy) are what prevents it; this shows the difference really is that reading.
     */
    @Test
    void withoutTheRulesALateCiphertextOrASecondRequestRevealsAReading() {
        GroupContext group = new GroupContext("g-why", 2, 6, SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "recovery-why");
        long[] readings = {11, 22, 33, 44, 55, 66};
        Step step = Step.encrypt(setup, 12, readings);
        long recovered = step.recover(ids(5));
        List<Ciphertext> all = new ArrayList<>();
        setup.meters().forEach(m -> all.add(step.ciphertexts().get(m.id())));
        long full = new PsaAggregator(setup.aggregationKey(), group).aggregate(12, all);
        assertEquals(readings[5], full - recovered, "late ciphertext of meter 5");
        assertEquals(readings[4], recovered - step.recover(ids(4, 5)), "second request for the same label");
    }
}
