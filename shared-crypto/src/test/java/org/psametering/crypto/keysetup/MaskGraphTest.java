package org.psametering.crypto.keysetup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * row(i) is encrypted in runs of blocks and rows() evaluates each pair once; both must give exactly the edges of
 * {@link MaskGraph#edge} (one block per call), also for sizes spanning several runs. The known-answer file pins
 * the construction itself.
 */
class MaskGraphTest {

    @Test
    void rowAndRowsAgreeWithEdgeAcrossSeveralRuns() {
        Random random = new Random(3);
        for (int size : new int[] {2, 3, 257, 520}) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            MaskGraph graph = MaskGraph.of(new GraphSpec(seed, Long.MIN_VALUE >>> 3), "g", 5, size); // p = 1/16
            int[][] rows = graph.rows();
            assertEquals(size, rows.length);
            for (int i = 0; i < size; i++) {
                List<Integer> expected = new ArrayList<>();
                for (int j = 0; j < size; j++) {
                    if (j != i && graph.edge(i, j)) {
                        expected.add(j);
                    }
                }
                int[] want = expected.stream().mapToInt(Integer::intValue).toArray();
                assertArrayEquals(want, graph.row(i), "row " + i + " of " + size);
                assertArrayEquals(want, rows[i], "rows()[" + i + "] of " + size);
            }
        }
    }

    @Test
    void denseThresholdsGiveFullRows() {
        byte[] seed = new byte[32];
        MaskGraph graph = MaskGraph.of(new GraphSpec(seed, -1L), "g", 1, 300); // threshold 2^64 - 1
        int[][] rows = graph.rows();
        for (int i = 0; i < 300; i++) {
            assertArrayEquals(graph.row(i), rows[i]);
            assertEquals(299, rows[i].length, "an edge fails with probability 2^-64 only");
        }
    }
}
