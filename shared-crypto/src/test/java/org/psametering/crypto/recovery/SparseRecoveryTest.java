package org.psametering.crypto.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.keysetup.SparseKeySetup;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;

/**
 * Section 13.4: a sparse group recovers a step with missing meters exactly, each reporting meter answering with the
 * residual over its missing neighbours only; the head-end's RecoveryAggregator is unchanged.
 */
class SparseRecoveryTest {

    @Test
    void aSparseGroupRecoversAStepWithMissingMetersExactly() {
        int n = 40;
        GroupContext group = new GroupContext("g-sparse-rec", 2, n, RecoveryRoundTripTest.SMALL);
        MaskGraph graph = MaskGraph.of(new GraphSpec(new byte[32], 1L << 61), group.groupId(), group.epoch(), n);
        List<TestGroups.Meter> meters = TestGroups.meters(group, "sparse-recovery");
        List<AgreementKeyPair> pairs = meters.stream().map(TestGroups.Meter::agreement).toList();
        List<PsaKey> keys = meters.stream().map(TestGroups.Meter::key).toList();
        KeySet keySet = TestGroups.keySet(group, meters);
        List<NeighbourKeys> rows = new ArrayList<>();
        Map<MeterId, BlindedKey> blinded = new HashMap<>();
        BlindedKeySum sum = new BlindedKeySum(keySet);
        for (int i = 0; i < n; i++) {
            NeighbourKeys row = TestGroups.neighbourKeys(group, graph, meters, i);
            rows.add(row);
            BlindedKey b = SparseKeySetup.blind(TestGroups.meterId(i), pairs.get(i), keys.get(i), row, 1, Runnable::run);
            blinded.put(b.meterId(), b);
            sum.add(b);
        }
        AggregationKey k = sum.aggregationKey();

        long label = 500;
        long[] readings = new long[n];
        Map<MeterId, Ciphertext> all_cts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            readings[i] = 100 + 37L * i;
            all_cts.put(TestGroups.meterId(i), new PsaEncryptor(keys.get(i), group, label - 1).encrypt(label, readings[i]));
        }
        // complete step first: the sparse K decrypts the full sum
        long total = 0;
        for (long r : readings) {
            total += r;
        }
        assertEquals(total, new PsaAggregator(k, group).aggregate(label, new ArrayList<>(all_cts.values())));

        SortedSet<MeterId> missing = new TreeSet<>(List.of(TestGroups.meterId(3), TestGroups.meterId(17), TestGroups.meterId(31)));
        RecoveryRequest request = new RecoveryRequest(group, label, missing);
        RecoveryPolicy policy = new RecoveryPolicy(2);
        Map<MeterId, Ciphertext> reporting = new HashMap<>();
        Map<MeterId, RecoveryAnswer> answers = new HashMap<>();
        long expected = 0;
        for (int i = 0; i < n; i++) {
            MeterId id = TestGroups.meterId(i);
            if (missing.contains(id)) {
                continue;
            }
            // the meter holds only its neighbours' keys: the policy's sparse form decides from those
            RecoveryDecision.Answer ok = RecoveryRoundTripTest.assertInstanceOfAnswer(
                    policy.decide(request, rows.get(i), label, Optional.empty()));
            assertTrue(java.util.Arrays.equals(ok.permit().record().requestDigest(), RecoveryRoundTripTest
                    .assertInstanceOfAnswer(policy.decide(request, id, keySet, label, Optional.empty())).permit().record()
                    .requestDigest()), "both forms answer the same request digest");
            answers.put(id, RecoveryResponder.answer(ok.permit(), pairs.get(i), rows.get(i)));
            reporting.put(id, all_cts.get(id));
            expected += readings[i];
        }
        Map<MeterId, BlindedKey> missingKeys = new HashMap<>();
        missing.forEach(m -> missingKeys.put(m, blinded.get(m)));
        assertTrue(graph.row(3).length > 0, "the test graph gives the missing meter neighbours");
        long recovered = new RecoveryAggregator(k, keySet).recover(request, missingKeys, reporting, answers);
        assertEquals(expected, recovered);

        // the sparse form keeps the section 11.4 rules: a missing meter does not answer, nor the same label twice
        RecoveryDecision self = policy.decide(request, rows.get(3), label, Optional.empty());
        assertEquals(RefusalReason.SELF_LISTED_MISSING, ((RecoveryDecision.Refuse) self).reason());
        RecoveryDecision.Answer first = RecoveryRoundTripTest.assertInstanceOfAnswer(
                policy.decide(request, rows.get(0), label, Optional.empty()));
        RecoveryRequest other = new RecoveryRequest(group, label, new TreeSet<>(List.of(TestGroups.meterId(3))));
        RecoveryDecision again = policy.decide(other, rows.get(0), label, Optional.of(first.permit().record()));
        assertEquals(RefusalReason.OTHER_REQUEST_ALREADY_ANSWERED, ((RecoveryDecision.Refuse) again).reason());
        // a sparse permit cannot be answered over the complete graph's residual (it holds no key set)
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RecoveryResponder.answer(first.permit(), pairs.get(0)));
    }
}
