package org.psametering.crypto.keysetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;

class SparseGraphPolicyTest {

    private static final int N = 2_000;
    private final List<MeterId> members = new ArrayList<>();
    private final byte[] seed = new byte[32];

    SparseGraphPolicyTest() {
        for (int i = 0; i < N; i++) {
            members.add(TestGroups.meterId(i));
        }
    }

    @Test
    void aGraphAtTheRequiredThresholdIsAcceptedAndTheRowIsTheGraphsRow() {
        long t = GraphParameters.DEFAULT.requiredThreshold(N);
        MaskGraph graph = MaskGraph.of(seed, "g", 1, N, t);
        SortedSet<MeterId> row = SparseGraphPolicy.DEFAULT.acceptRow(graph, members, members.get(17));
        assertEquals(graph.row(17).length, row.size());
        for (int j : graph.row(17)) {
            assertTrue(row.contains(members.get(j)));
        }
    }

    @Test
    void aWeakerGraphIsRefused() {
        long t = GraphParameters.threshold(GraphParameters.probability(GraphParameters.DEFAULT.requiredThreshold(N)) * 0.8);
        MaskGraph graph = MaskGraph.of(seed, "g", 1, N, t);
        SparseGraphPolicy.RefusedException e = assertThrows(SparseGraphPolicy.RefusedException.class,
                () -> SparseGraphPolicy.DEFAULT.acceptRow(graph, members, members.get(0)));
        assertEquals(SparseGraphPolicy.Refusal.SPARSE_GRAPH_TOO_WEAK, e.refusal());
    }

    @Test
    void aRowBelowTheMeterMinimumIsRefused() {
        MaskGraph graph = MaskGraph.of(seed, "g", 1, N, GraphParameters.DEFAULT.requiredThreshold(N));
        int degree = graph.row(3).length;
        SparseGraphPolicy strict = new SparseGraphPolicy(GraphParameters.DEFAULT, degree + 1, 1);
        assertEquals(SparseGraphPolicy.Refusal.SPARSE_ROW_TOO_SMALL, assertThrows(SparseGraphPolicy.RefusedException.class,
                () -> strict.acceptRow(graph, members, members.get(3))).refusal());
    }

    @Test
    void theKeySetMustListExactlyTheRow() {
        Set<MeterId> row = Set.of(members.get(1), members.get(2));
        SparseGraphPolicy.DEFAULT.checkKeySet(row, new TreeSet<>(row));
        assertEquals(SparseGraphPolicy.Refusal.SPARSE_KEYSET_MISMATCH, assertThrows(SparseGraphPolicy.RefusedException.class,
                () -> SparseGraphPolicy.DEFAULT.checkKeySet(row, Set.of(members.get(1)))).refusal());
        assertThrows(SparseGraphPolicy.RefusedException.class,
                () -> SparseGraphPolicy.DEFAULT.checkKeySet(row, Set.of(members.get(1), members.get(2), members.get(3))));
    }

    @Test
    void recoveryAnswersOnlyForMissingNeighboursAndOnlyWithEnoughReporting() {
        SparseGraphPolicy policy = new SparseGraphPolicy(GraphParameters.DEFAULT, 3, 2);
        Set<MeterId> row = Set.of(members.get(1), members.get(2), members.get(3), members.get(4));
        assertEquals(Set.of(members.get(2)), policy.answerFor(row, List.of(members.get(2), members.get(9))));
        assertEquals(SparseGraphPolicy.Refusal.TOO_FEW_REPORTING_NEIGHBOURS, assertThrows(SparseGraphPolicy.RefusedException.class,
                () -> policy.answerFor(row, List.of(members.get(1), members.get(2), members.get(3)))).refusal());
    }
}
