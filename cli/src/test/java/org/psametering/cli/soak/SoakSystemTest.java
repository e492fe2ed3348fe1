package org.psametering.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;

/**
 * A short soak with a fixed seed against a real Mosquitto: every kind of fault happens at least once, and still no sum
 * is wrong and no acknowledged ciphertext is lost. Steps that end INCOMPLETE (a meter was down when they ended) are
 * legitimate and not asserted on; how many there are depends on timing, which is why only the invariants are checked.
 */
class SoakSystemTest {
    private static final SoakSettings SETTINGS = new SoakSettings(Duration.ofSeconds(25), 4, Duration.ofMillis(1500), 7,
            PsaParameters.KHPRF_2021);

    @Test
    void underRandomFaultsNoSumIsWrongAndNoAcknowledgedCiphertextIsLost(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SoakReport report = new SoakRun(SETTINGS, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(dir);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SoakReportPrinter.print(report, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String context = progress.toString(StandardCharsets.UTF_8) + printed.toString(StandardCharsets.UTF_8);

        assertEquals(0, report.wrong(), "wrong sums: " + context);
        assertEquals(0, report.lost(), "lost acknowledged ciphertexts: " + context);
        assertEquals(report.acknowledged(), report.summed() + report.refusedAfterRecovery() + report.heldInIncomplete() + report.lost(),
                "every acknowledged ciphertext has exactly one fate: " + context);
        assertEquals(0, report.reusedLabels(), "reused labels: " + context);
        assertEquals(0, report.noResult(), "steps without a result: " + context);
        assertTrue(report.harnessErrors().isEmpty(), "the soak could not carry out every fault: " + context);
        assertTrue(report.steps() > 0 && report.acknowledged() > 0, "the system ran: " + context);
        for (FaultKind kind : FaultKind.values()) {
            assertTrue(report.faults().get(kind) > 0, kind + " was never injected: " + context);
        }
        assertTrue(report.hostileSent() > 0, "no hostile message reached the broker: " + context);
        assertTrue(report.passed(), context);
    }
}
