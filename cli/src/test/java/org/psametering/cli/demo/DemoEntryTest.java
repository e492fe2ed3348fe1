package org.psametering.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;

/** What {@code ./psa demo} runs, with small arguments: exit code 0 and one OK line per step. */
class DemoEntryTest {
    @Test
    void smallDemoExitsZeroAndPrintsOkLines() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = PsaMain.run("demo", "--meters", "3", "--steps", "2", "--step-seconds", "1.5", "--params", "khprf-2021", "--no-compare");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        long okLines = output.lines().filter(l -> l.matches("\\s+\\d+ .*\\sOK$")).count();
        assertEquals(2, okLines, output);
        assertFalse(output.contains("MISMATCH"), output);
        assertTrue(output.contains("private:"), "the header says what stays private");
    }

    @Test
    void badArgumentsGiveAClearErrorAndNonZeroExit() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = PsaMain.run("demo", "--meters", "0");
        } finally {
            System.setErr(original);
        }
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--meters must be 1..1000"), err.toString(StandardCharsets.UTF_8));
    }
}
