package org.psametering.cli.bench.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;

/**
 * {@code ./psa bench recovery} with a small group against a real Mosquitto: it finishes, every step line is there and
 * the recovered steps missed exactly the requested meters (the bench itself fails when a sum is not exact); bad
 * options are usage errors. Timings are not checked: they belong to the benchmark's output, not to a test.
 */
class RecoveryBenchCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = PsaMain.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSmallGroupIsRecoveredExactlyInEveryStep() {
        Run r = run("bench", "recovery", "--meters", "12", "--missing", "0.25", "--steps", "2", "--complete-steps", "1");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("FAILED"), r.out());
        Matcher rows = Pattern.compile("(?m)^\\d+\\s+9\\s+3\\s+[\\d.]+ ms").matcher(r.out());
        int recoveredRows = 0;
        while (rows.find()) {
            recoveredRows++;
        }
        assertEquals(2, recoveredRows, "two recovered steps, 9 reporting and 3 missing each:\n" + r.out());
        assertTrue(r.out().contains("every sum checked exact"), r.out());
        assertTrue(r.out().contains("SHORTCUT"), "the output says what the key setup leaves out");
    }

    @Test
    void aMissingFractionThatLeavesTooFewReportersIsAUsageError() {
        Run r = run("bench", "recovery", "--meters", "10", "--missing", "0.6");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("leaves 4 of 10 meters reporting"), r.err());
    }
}
