package org.psametering.cli.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.psametering.cli.PsaMain;

/** A bad option is a usage error: one clear message and exit code 2, never a stack trace, and no meter is started. */
class SimulateCommandTest {

    @Test
    void aBrokerThatIsNotAUrlIsAUsageErrorWithoutAStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = PsaMain.run("simulate", "--meters", "1", "--broker", "garbage");
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, stderr);
        assertTrue(stderr.contains("garbage") && stderr.contains("tcp://"), "names the bad value and the expected form: " + stderr);
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), "no stack trace: " + stderr);
        assertFalse(stdout.contains("Starting"), "nothing was started: " + stdout);
    }

    @Test
    void aDropRateOfOneOrMoreIsAUsageErrorAndNothingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = PsaMain.run("simulate", "--meters", "3", "--broker", "tcp://127.0.0.1:1", "--drop-rate", "1.5");
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, stderr);
        assertTrue(stderr.contains("--drop-rate must be at least 0 and below 1, got 1.5"), stderr);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("Starting"), "nothing was started");
    }
}
