package org.psametering.cli.demo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa demo}: the whole system in one process, with a line per time-step saying whether the aggregate is exact. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole system locally, checking every aggregate against the truth.",
                "Starts an embedded MQTT 5 broker, the head-end (embedded H2) and N simulated household meters on an",
                "accelerated clock. For every 15-minute step it prints the total the head-end decrypted",
                "next to the true total only the simulator knows, then a short PSA-vs-DMCFE comparison.",
                "With --offline M, M meters are switched off after the first step: each later step is recovered over",
                "the meters that reported and checked against the true sum over exactly those meters.",
                "With --drop-rate P, each meter skips each step with probability P; those steps are recovered likewise.",
                "Exit code 0 when every step with at least minReporting reporters matched, 1 otherwise."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--meters", defaultValue = "20", description = "Simulated households. Default: ${DEFAULT-VALUE}.")
    int meters;

    @Option(names = "--steps", defaultValue = "4", description = "15-minute time-steps to aggregate. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--step-seconds", defaultValue = "2", description = "Real seconds one 15-minute step takes. Default: ${DEFAULT-VALUE}.")
    double stepSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the household profiles. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--params", description = "PSA parameter set (default: the project's default, >= 128-bit quantum security).")
    String params;

    @Option(names = "--offline", defaultValue = "0", description = {"Switch this many meters off after the first step; the",
            "remaining steps are recovered over the meters that report. Default: ${DEFAULT-VALUE}."})
    int offline;

    @Option(names = "--drop-rate", defaultValue = "0", description = {"Each meter independently leaves each step unreported",
            "with this probability (seeded by --seed, reproducible), as if its ciphertext were lost: such steps are",
            "recovered over the meters that sent. 0 <= P < 1. Default: ${DEFAULT-VALUE}."})
    double dropRate;

    @Option(names = "--no-compare", description = "Skip the PSA-vs-DMCFE comparison at the end.")
    boolean noCompare;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = DemoSettings.of(meters, steps, stepSeconds, seed, params, !noCompare, offline, dropRate);
        return new DemoRun(settings, System.out).run() ? 0 : 1;
    }
}
