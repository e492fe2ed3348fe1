package org.psametering.headend.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.psa.PsaParameters;

class SparseGraphDrawTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aDrawnGraphHasTheRequiredThresholdAndItsRowsAreTheGraphsRows() {
        SparseGraphDraw.Drawn drawn = SparseGraphDraw.draw("g", 3, 150, GraphParameters.DEFAULT, RANDOM);
        assertEquals(GraphParameters.DEFAULT.requiredThreshold(150), drawn.spec().threshold());
        MaskGraph graph = MaskGraph.of(drawn.spec(), "g", 3, 150);
        for (int i = 0; i < 150; i++) {
            assertArrayEquals(graph.row(i), drawn.rows()[i]);
            assertTrue(drawn.rows()[i].length >= GraphParameters.DEFAULT.minimumRowSize());
        }
    }

    @Test
    void noDrawGivingEveryMemberTheMeterMinimumIsAClearError() {
        // with 45 % colluding and 45 % missing the meters' minimum row (527) exceeds the group: no draw can serve it
        GraphParameters strict = new GraphParameters(0.45, 0.45, 80);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparseGraphDraw.draw("g", 0, 120, strict, RANDOM));
        assertTrue(e.getMessage().contains("below the meters' minimum of " + strict.minimumRowSize()), e.getMessage());
    }

    @Test
    void aCompleteEpochHasNoPerMeterKeySetsAndASparseOneNoGroupKeySet() {
        List<String> members = IntStream.range(0, 100).mapToObj(i -> String.format("m%03d", i)).toList();
        EpochKeySetup complete = EpochKeySetup.start("g", 0, PsaParameters.DEFAULT, 900, members, RANDOM);
        EpochKeySetup sparse = EpochKeySetup.startSparse("g", 0, PsaParameters.DEFAULT, 900, members,
                SparseGraphDraw.draw("g", 0, 100, GraphParameters.DEFAULT, RANDOM), RANDOM);
        assertTrue(sparse.sparse() && !complete.sparse());
        assertEquals(sparse.maskGraph(), sparse.announcement().maskGraph());
        assertTrue(complete.announcement().maskGraph().isEmpty());
        assertEquals(sparse.maskGraph(), sparse.toNewRecord().maskGraph(), "stored with the epoch");
        // before the key set is complete neither exists
        assertThrows(IllegalStateException.class, () -> sparse.keySetMessageFor("m001"));
        assertThrows(IllegalStateException.class, complete::keySetMessage);
        assertThrows(IllegalArgumentException.class,
                () -> EpochKeySetup.startSparse("g", 0, PsaParameters.DEFAULT, 900, members.subList(0, 99),
                        SparseGraphDraw.draw("g", 0, 100, GraphParameters.DEFAULT, RANDOM), RANDOM), "drawn for another size");
    }
}
