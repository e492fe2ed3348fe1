package org.psametering.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.StepDrops;

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

    @Test
    void withADropRateStepsMissingMetersAreRecoveredOverExactlyTheMetersThatSent() {
        int meters = 8;
        int steps = 4;
        long seed = 3;
        double rate = 0.2;
        StepDrops expected = new StepDrops(rate, seed);
        int[] dropped = new int[steps];
        int recoverable = 0;
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < meters; i++) {
                dropped[k] += expected.drops(FleetSpec.meterId("house-", i), k) ? 1 : 0;
            }
            recoverable += dropped[k] > 0 && meters - dropped[k] >= 5 ? 1 : 0;
        }
        assertTrue(recoverable > 0, "seed " + seed + " must drop some meters in a recoverable step: pick another seed");

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = PsaMain.run("demo", "--meters", String.valueOf(meters), "--steps", String.valueOf(steps), "--step-seconds", "1.5",
                    "--seed", String.valueOf(seed), "--drop-rate", String.valueOf(rate), "--params", "lwr-3072-q128-p85-rec",
                    "--no-compare");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertFalse(output.contains("MISMATCH"), output);
        List<String> lines = output.lines().filter(l -> l.matches("\\s+\\d+ \\d{4}-.*")).toList();
        assertEquals(steps, lines.size(), output);
        Pattern recovered = Pattern.compile("OK, recovered: (\\d+) reported, (\\d+) missing$");
        for (int k = 0; k < steps; k++) {
            String line = lines.get(k);
            Matcher m = recovered.matcher(line);
            if (dropped[k] > 0 && meters - dropped[k] >= 5) {
                assertTrue(m.find(), "step " + (k + 1) + " lost " + dropped[k] + " readings: recovered expected\n" + output);
                // a meter whose ciphertext came late on a busy machine is missing too, so at least the dropped ones
                assertTrue(Integer.parseInt(m.group(2)) >= dropped[k], line);
                assertEquals(meters, Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)), line);
            } else if (dropped[k] > 0) {
                assertTrue(line.contains("below minReporting"), line);
            } else {
                assertTrue(line.endsWith("OK, all " + meters + " reported") || m.find(), line);
            }
        }
        long total = java.util.Arrays.stream(dropped).sum();
        assertTrue(output.contains(total + " readings were dropped on purpose"), output);
    }

    @Test
    void aDropRateOutsideZeroToOneIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = PsaMain.run("demo", "--drop-rate", "1");
        } finally {
            System.setErr(original);
        }
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--drop-rate must be at least 0 and below 1"),
                err.toString(StandardCharsets.UTF_8));
    }
}
