package org.psametering.cli.bench.ingest.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;

/**
 * {@code ./psa bench ingest --groups G --meters-per-group M} with 3 groups of 5 against a real Mosquitto and the real
 * head-end: the real key setup of every group completes and every group's aggregate equals the sum of its readings in
 * every step (the bench compares each one and exits 1 on any difference). Timings are not checked.
 */
class MultiGroupBenchTest {

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
    void threeGroupsOfFiveAreSetUpForRealAndEveryAggregateIsExact() {
        Run r = run("bench", "ingest", "--groups", "3", "--meters-per-group", "5", "--steps", "2");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("WRONG") || r.out().contains("FAILED"), r.out());
        assertTrue(r.out().contains("all 3 groups ACTIVE"), r.out());
        assertTrue(r.out().contains("4 agreements and masks"), "each meter masks with the 4 others:\n" + r.out());
        Matcher rows = Pattern.compile("(?m)^\\d+\\s+15\\s+.*all 3 exact$").matcher(r.out());
        int exactSteps = 0;
        while (rows.find()) {
            exactSteps++;
        }
        assertEquals(2, exactSteps, "two steps of 15 ciphertexts, all three sums exact:\n" + r.out());
        assertTrue(r.out().contains("Head-end heap, used after full GC"), r.out());
    }

    /**
     * {@code --load-process} with {@code --groups} publishes the steps' ciphertexts from a separate JVM: the run names
     * that process, it is not this one, it used CPU over the counted steps, and every aggregate is still exact. (Before,
     * the flag was silently ignored with {@code --groups}: the messages came from the benchmark's own JVM.)
     */
    @Test
    void withLoadProcessTheStepsArePublishedFromASeparateJvmAndEveryAggregateIsExact() {
        Run r = run("bench", "ingest", "--groups", "3", "--meters-per-group", "5", "--steps", "2", "--load-process");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("WRONG") || r.out().contains("FAILED"), r.out());
        Matcher generator = Pattern.compile("Load generator: a separate JVM \\(pid (\\d+),").matcher(r.out());
        assertTrue(generator.find(), "the run names the load-generator process:\n" + r.out());
        assertNotEquals(ProcessHandle.current().pid(), Long.parseLong(generator.group(1)), r.out());
        Matcher rows = Pattern.compile("(?m)^\\d+\\s+15\\s+.*all 3 exact$").matcher(r.out());
        int exactSteps = 0;
        while (rows.find()) {
            exactSteps++;
        }
        assertEquals(2, exactSteps, "two steps of 15 ciphertexts, all three sums exact:\n" + r.out());
        Matcher cpu = Pattern.compile("load-generator process (\\d+\\.\\d+) s").matcher(r.out());
        assertTrue(cpu.find(), "the CPU of the load-generator process over the counted steps is reported:\n" + r.out());
        assertTrue(Double.parseDouble(cpu.group(1)) > 0, "the separate process did the publishing:\n" + r.out());
    }

    @Test
    void aGroupSmallerThanTheMetersMinimumIsAUsageError() {
        Run r = run("bench", "ingest", "--groups", "2", "--meters-per-group", "4");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--meters-per-group"), r.err());
    }
}
