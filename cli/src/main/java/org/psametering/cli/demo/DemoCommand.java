package org.psametering.cli.demo;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
                "It prints the URL of the head-end's web page (load curve, members, steps); with --keep-running the",
                "system keeps running after the steps, so the page keeps updating, until Ctrl-C.",
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

    @Option(names = "--http-port", defaultValue = "0",
            description = "Port of the head-end's web page and API on 127.0.0.1 (0: any free port; the URL is printed). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--keep-running", description = {"After the steps, keep everything running (the page keeps updating) until Ctrl-C."})
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = DemoSettings.of(meters, steps, stepSeconds, seed, params, !noCompare, offline, dropRate);
        DemoServing serving = new DemoServing(httpPort, keepRunning, new CountDownLatch(keepRunning ? 1 : 0));
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: end the wait, then let the run close broker, head-end and meters before the JVM exits
        Thread onCtrlC = new Thread(() -> {
            serving.stop().countDown();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-stop");
        if (keepRunning) {
            Runtime.getRuntime().addShutdownHook(onCtrlC);
        }
        try {
            return new DemoRun(settings, serving, System.out).run() ? 0 : 1;
        } finally {
            finished.countDown();
            if (keepRunning) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it is what ended the run
                }
            }
        }
    }
}
