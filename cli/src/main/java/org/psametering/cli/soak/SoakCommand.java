package org.psametering.cli.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa soak}: the system under random faults for a while, then checked against the truth. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run the system under random faults and check that no sum is wrong and no acknowledged reading is lost.",
                "Starts a real Mosquitto (child process, persistent), the head-end and N simulated meters on an accelerated",
                "clock, then for --minutes injects seeded random faults: broker SIGKILL and restart, meter crashes and",
                "restarts, cut links of meters and of the head-end, and garbage, oversized, forged and replayed messages.",
                "After a drain without faults it prints steps, exact, recovered, incomplete and wrong, and for every",
                "acknowledged ciphertext whether it was summed, refused after its step's recovery, held for an INCOMPLETE",
                "step, or lost.",
                "Needs the mosquitto binary. Exit code 0 when wrong = 0, lost = 0 and no label was reused; 1 otherwise."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", required = true, description = "Real minutes of fault injection (a drain follows).")
    double minutes;

    @Option(names = "--meters", defaultValue = "5", description = "Simulated households. Default: ${DEFAULT-VALUE}.")
    int meters;

    @Option(names = "--step-seconds", defaultValue = "2", description = "Real seconds one 15-minute step takes. Default: ${DEFAULT-VALUE}.")
    double stepSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the faults, hostile messages and households. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--faults", split = ",", description = "Only these kinds of fault, e.g. BROKER_KILL,METER_CRASH (default: all of ${COMPLETION-CANDIDATES}).")
    java.util.Set<FaultKind> faults;

    @Option(names = "--params", description = "PSA parameter set (default: the project's default).")
    String params;

    @Option(names = "--json", description = "Also write the report as JSON to this file.")
    Path json;

    @Option(names = "--keep", description = "Keep the work directory (logs, broker and head-end data) even when the run passes.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        SoakSettings settings = SoakSettings.of(minutes, meters, stepSeconds, seed, params, faults);
        Path dir = Files.createTempDirectory("psa-soak-");
        SoakLogFile.redirectTo(dir.resolve("soak.log"));
        System.out.printf("psa soak: %s; logs in %s%n", settings, dir.resolve("soak.log"));
        SoakReport report = new SoakRun(settings, System.out).run(dir);
        SoakReportPrinter.print(report, System.out);
        if (json != null) {
            writeJson(report, json);
        }
        if (report.passed() && !keep) {
            org.psametering.cli.demo.TempDirs.deleteQuietly(dir);
        } else {
            System.out.println("work directory kept: " + dir);
        }
        return report.passed() ? 0 : 1;
    }

    static void writeJson(SoakReport report, Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
