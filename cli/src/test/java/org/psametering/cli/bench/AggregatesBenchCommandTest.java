package org.psametering.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;

/** {@code ./psa bench aggregates} with small arguments: every answer holds all stored steps, and it prints the figures. */
class AggregatesBenchCommandTest {
    @Test
    void timesTheAggregatesApiOnH2() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = PsaMain.run("bench", "aggregates", "--days", "2", "--requests", "3");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertTrue(output.matches("(?s).*from H2 \\(embedded\\): 192 steps, .* median [0-9.]+ ms, p90 [0-9.]+ ms.*"), output);
    }
}
