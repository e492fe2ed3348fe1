package org.psametering.crypto.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.SparseGraphPolicy;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;

/** A sparse group (README section 13.5): full steps and a step with missing meters recover the exact sum. */
class SparseRecoveryTest {

    @Test
    void aSparseGroupAggregatesAndRecoversAStepWithMissingMetersExactly() {
        int size = 30;
        GroupContext group = new GroupContext("g-sparse-rec", 3, size, RecoveryRoundTripTest.SMALL);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "sparse-recovery");
        byte[] seed = new byte[32];
        seed[0] = 42;
        MaskGraph graph = MaskGraph.of(seed, group.groupId(), group.epoch(), size, GraphParameters.threshold(0.3));
        List<MeterId> ids = new ArrayList<>(setup.keySet().members().keySet());
        SparseGraphPolicy policy = new SparseGraphPolicy(GraphParameters.DEFAULT, 1, 1);

        BlindedKeySum sum = new BlindedKeySum(setup.keySet());
        Map<MeterId, BlindedKey> blinded = new HashMap<>();
        Map<MeterId, SortedSet<MeterId>> rows = new HashMap<>();
        for (TestGroups.Meter m : setup.meters()) {
            TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
            for (int j : graph.row(ids.indexOf(m.id()))) {
                neighbours.put(ids.get(j), setup.keySet().publicKeyOf(ids.get(j)));
            }
            rows.put(m.id(), new TreeSet<>(neighbours.keySet()));
            BlindedKey b = KeySetup.blindSparse(m.id(), m.agreement(), m.key(), group, neighbours, 1, Runnable::run);
            blinded.put(m.id(), b);
            sum.add(b);
        }
        long label = 500;
        Map<MeterId, Ciphertext> cts = new HashMap<>();
        long total = 0;
        for (int i = 0; i < size; i++) {
            TestGroups.Meter m = setup.meters().get(i);
            long reading = 1_000 + 37L * i;
            total += reading;
            cts.put(m.id(), new PsaEncryptor(m.key(), group, label - 1).encrypt(label, reading));
        }
        assertEquals(total, new PsaAggregator(sum.aggregationKey(), group).aggregate(label, new ArrayList<>(cts.values())));

        SortedSet<MeterId> missing = new TreeSet<>(List.of(ids.get(4), ids.get(11), ids.get(25)));
        RecoveryRequest request = new RecoveryRequest(group, label, missing);
        Map<MeterId, RecoveryAnswer> answers = new HashMap<>();
        Map<MeterId, Ciphertext> reporting = new HashMap<>(cts);
        reporting.keySet().removeAll(missing);
        long expected = 0;
        boolean someAnswerIsZero = false;
        for (int i = 0; i < size; i++) {
            TestGroups.Meter m = setup.meters().get(i);
            if (missing.contains(m.id())) {
                continue;
            }
            expected += 1_000 + 37L * i;
            RecoveryDecision.Answer ok = RecoveryRoundTripTest.assertInstanceOfAnswer(
                    new RecoveryPolicy(2).decide(request, m.id(), setup.keySet(), label, Optional.empty()));
            SortedSet<MeterId> toAnswer = policy.answerFor(rows.get(m.id()), missing);
            someAnswerIsZero |= toAnswer.isEmpty();
            answers.put(m.id(), RecoveryResponder.answerSparse(ok.permit(), m.agreement(), toAnswer));
        }
        assertTrue(someAnswerIsZero, "the test graph must have a meter without missing neighbours");
        Map<MeterId, BlindedKey> missingKeys = new HashMap<>();
        missing.forEach(j -> missingKeys.put(j, blinded.get(j)));
        assertEquals(expected, new RecoveryAggregator(sum.aggregationKey(), setup.keySet())
                .recover(request, missingKeys, reporting, answers));
    }
}
