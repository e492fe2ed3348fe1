package org.psametering.crypto.keysetup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

class MaskGraphTest {

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        java.util.Arrays.fill(s, (byte) b);
        return s;
    }

    @Test
    void rowsAreSymmetricAndAgreeWithTheEdgeTest() {
        MaskGraph graph = MaskGraph.of(seed(1), "g", 3, 60, GraphParameters.threshold(0.2));
        int edges = 0;
        for (int a = 0; a < 60; a++) {
            int[] row = graph.row(a);
            for (int b = 0; b < 60; b++) {
                if (b != a) {
                    boolean listed = java.util.Arrays.binarySearch(row, b) >= 0;
                    assertEquals(graph.edge(a, b), listed, a + "-" + b);
                    assertEquals(graph.edge(b, a), listed);
                }
            }
            edges += row.length;
        }
        // 60*59 ordered pairs at p = 0.2: expected 708 row entries, far from 0 or all
        assertTrue(edges > 400 && edges < 1000, "row entries " + edges);
    }

    @Test
    void theGraphDependsOnSeedGroupEpochAndSize() {
        long t = GraphParameters.threshold(0.5);
        int[] base = MaskGraph.of(seed(1), "g", 3, 40, t).row(0);
        assertFalse(java.util.Arrays.equals(base, MaskGraph.of(seed(2), "g", 3, 40, t).row(0)));
        assertFalse(java.util.Arrays.equals(base, MaskGraph.of(seed(1), "h", 3, 40, t).row(0)));
        assertFalse(java.util.Arrays.equals(base, MaskGraph.of(seed(1), "g", 4, 40, t).row(0)));
        assertFalse(java.util.Arrays.equals(base, MaskGraph.of(seed(1), "g", 3, 41, t).row(0)));
    }

    @Test
    void extremeThresholdsGiveEmptyAndCompleteRows() {
        assertEquals(0, MaskGraph.of(seed(1), "g", 1, 30, 0).row(5).length);
        assertEquals(29, MaskGraph.of(seed(1), "g", 1, 30, -1L).row(5).length);
        assertThrows(IllegalArgumentException.class, () -> MaskGraph.of(new byte[31], "g", 1, 30, 0));
        assertThrows(IllegalArgumentException.class, () -> MaskGraph.of(seed(1), "g", 1, 30, 0).row(30));
    }

    @Test
    void sparseBlindedKeysSumToTheSumOfTheKeys() {
        int size = 25;
        GroupContext group = new GroupContext("g-sparse", 5, size, PsaParameters.KHPRF_2021);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "sparse");
        MaskGraph graph = MaskGraph.of(seed(7), group.groupId(), group.epoch(), size, GraphParameters.threshold(0.3));
        List<MeterId> ids = new ArrayList<>(setup.keySet().members().keySet());
        BlindedKeySum sum = new BlindedKeySum(setup.keySet());
        List<PsaKey> keys = new ArrayList<>();
        for (TestGroups.Meter m : setup.meters()) {
            TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
            for (int j : graph.row(ids.indexOf(m.id()))) {
                neighbours.put(ids.get(j), setup.keySet().publicKeyOf(ids.get(j)));
            }
            assertTrue(neighbours.size() < size - 1, "the test graph must be sparse");
            sum.add(KeySetup.blindSparse(m.id(), m.agreement(), m.key(), group, neighbours, 2, Runnable::run));
            keys.add(m.key());
        }
        assertTrue(TestGroups.sameKey(TestGroups.sumOfKeys(group, keys), sum.aggregationKey()));
    }

    @Test
    void aMeterWithoutNeighboursIsRefused() {
        GroupContext group = new GroupContext("g-sparse", 5, 3, PsaParameters.KHPRF_2021);
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "sparse0");
        TestGroups.Meter m = setup.meters().get(0);
        assertThrows(IllegalArgumentException.class, () -> KeySetup.blindSparse(m.id(), m.agreement(), m.key(),
                group, new TreeMap<>(), 1, Runnable::run));
    }

    @Test
    void requiredDegreeGrowsLogarithmicallyAndMeetsTheBound() {
        GraphParameters params = GraphParameters.DEFAULT;
        double previousDegree = 0;
        for (int size : new int[] {1_000, 10_000, 100_000}) {
            double p = params.requiredProbability(size);
            assertTrue(p < 1, "sparse possible at " + size);
            assertTrue(params.log2FailureBound(size, p) <= -80);
            assertTrue(params.log2FailureBound(size, p * 0.9) > -80, "p is (nearly) minimal at " + size);
            double degree = p * (size - 1);
            assertTrue(degree > previousDegree && degree < 2 * Math.max(previousDegree, 60), "degree " + degree);
            previousDegree = degree;
            assertTrue(params.strongEnough(size, params.requiredThreshold(size)));
        }
        // a small group needs (nearly) the complete graph
        assertTrue(params.requiredProbability(100) > 0.5);
    }

    @Test
    void thresholdEncodesTheProbabilityExactly() {
        assertEquals(0x4000000000000000L, GraphParameters.threshold(0.25));
        assertEquals(0.25, GraphParameters.probability(0x4000000000000000L));
        assertEquals(-1L, GraphParameters.threshold(1.0));
        assertArrayEquals(new int[0], MaskGraph.of(seed(3), "g", 1, 2, 0).row(0));
    }
}
