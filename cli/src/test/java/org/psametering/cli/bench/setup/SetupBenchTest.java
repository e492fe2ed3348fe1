package org.psametering.cli.bench.setup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The setup benchmark's own check passes for a small group, sparse and complete (no timing asserted). */
class SetupBenchTest {

    @Test
    void sparseAndCompleteSetupsGiveTheExactAggregate() throws Exception {
        for (boolean sparse : new boolean[] {true, false}) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            boolean ok = new SetupBench(80, sparse, 2, !sparse, "khprf-2021",
                    new PrintStream(text, true, StandardCharsets.UTF_8)).run();
            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(ok, out);
            assertTrue(out.contains("check: aggregate under K = sum of the readings"), out);
            assertTrue(out.contains("floor: signed-key check"), out);
        }
    }
}
