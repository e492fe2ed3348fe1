package org.psametering.crypto.keysetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

class SparseKeySetupTest {

    @Test
    void rowsAreSymmetricAndAgreeWithTheEdgeTest() {
        MaskGraph graph = MaskGraph.of(new GraphSpec(new byte[32], 1L << 61), "g", 3, 60);
        for (int i = 0; i < 60; i++) {
            int self = i;
            for (int j : graph.row(i)) {
                assertTrue(graph.edge(i, j));
                assertTrue(java.util.Arrays.stream(graph.row(j)).anyMatch(x -> x == self), i + " in row of " + j);
            }
        }
    }

    @Test
    void differentEpochOrSizeGivesADifferentGraphKey() {
        byte[] seed = new byte[32];
        assertTrue(!java.util.Arrays.equals(MaskGraph.graphKey(seed, "g", 1, 10), MaskGraph.graphKey(seed, "g", 2, 10)));
        assertTrue(!java.util.Arrays.equals(MaskGraph.graphKey(seed, "g", 1, 10), MaskGraph.graphKey(seed, "g", 1, 11)));
    }

    @Test
    void sparseBlindedKeysSumToTheSumOfTheKeys() {
        int n = 40;
        GroupContext group = new GroupContext("g-sparse", 5, n, PsaParameters.KHPRF_2021);
        MaskGraph graph = MaskGraph.of(new GraphSpec(new byte[32], 1L << 61), group.groupId(), group.epoch(), n);
        List<TestGroups.Meter> meters = TestGroups.meters(group, "sparse");
        BlindedKeySum sum = new BlindedKeySum(TestGroups.keySet(group, meters));
        for (int i = 0; i < n; i++) {
            TestGroups.Meter m = meters.get(i);
            sum.add(SparseKeySetup.blind(m.id(), m.agreement(), m.key(), TestGroups.neighbourKeys(group, graph, meters, i), 2,
                    Runnable::run));
        }
        List<PsaKey> keys = meters.stream().map(TestGroups.Meter::key).toList();
        assertTrue(TestGroups.sameKey(TestGroups.sumOfKeys(group, keys), sum.aggregationKey()));
    }

    @Test
    void requiredDegreeGrowsLikeLogNAndTheMeterRulesAreConsistent() {
        GraphParameters p = GraphParameters.DEFAULT;
        for (int n : new int[] {100, 1000, 10000}) {
            double degree = p.expectedDegree(n);
            long threshold = p.requiredThreshold(n);
            System.out.printf("N=%d threshold=%s p=%.5f degree=%.1f min-row=%d min-reporting(at degree)=%d%n", n,
                    Long.toUnsignedString(threshold), GraphSpec.unsignedToDouble(threshold) / 0x1p64, degree,
                    p.minimumRowSize(), p.minimumReportingNeighbours((int) Math.round(degree)));
            double prob = GraphSpec.unsignedToDouble(threshold) / 0x1p64;
            assertTrue(p.lnFailureBound(n, prob) <= -80 * Math.log(2) + 1e-9, "bound met at N=" + n);
            assertTrue(p.lnFailureBound(n, prob * 0.99) > -80 * Math.log(2), "threshold is the smallest at N=" + n);
        }
        assertTrue(p.expectedDegree(10000) < 200, "sparse at N = 10 000");
        assertEquals(35, p.minimumRowSize());
    }

    @Test
    void neighbourKeysRejectSelfAsNeighbour() {
        GroupContext group = new GroupContext("g", 1, 3, PsaParameters.KHPRF_2021);
        AgreementKeyPair pair = AgreementKeyPair.generate(new DeterministicRandom("x"));
        TreeMap<MeterId, AgreementPublicKey> map = new TreeMap<>();
        map.put(TestGroups.meterId(0), pair.publicKey());
        assertThrows(IllegalArgumentException.class,
                () -> new NeighbourKeys(group, TestGroups.meterId(0), pair.publicKey(), map));
    }
}
