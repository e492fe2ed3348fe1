package org.psametering.cli.bench.setup;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa bench setup}: one group's key setup for real, every simulated meter doing its own work, in-process. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"One group's key setup, in-process (no broker, no MQTT: the messages are handed over in memory).",
                "Every simulated meter generates and signs its epoch key, verifies the signed announcement, computes its",
                "row of the mask graph (sparse) or takes every member (complete), verifies each neighbour's signed key and",
                "certificate, does the X25519 agreements and mask expansions and blinds; the head-end verifies every signed",
                "key, builds the per-meter key sets and folds all blinded keys into K. Checked at the end: the aggregate",
                "of one reading per meter under K is the sum of the readings (exit 1 if not)."})
public final class SetupBenchCommand implements Callable<Integer> {

    @Option(names = "--meters", defaultValue = "10000", description = "Members of the group. Default: ${DEFAULT-VALUE}.")
    int meters;

    @Option(names = "--graph", defaultValue = "sparse", description = "sparse or complete. Default: ${DEFAULT-VALUE}.")
    String graph;

    @Option(names = "--threads", defaultValue = "0", description = "Threads the simulated meters run on (0 = processors).")
    int threads;

    @Option(names = "--cache", defaultValue = "warm", description = "Meter certificate cache: warm (steady-state re-key,"
            + " the headline) or cold (each meter's first epoch: every neighbour certificate verified). Default: ${DEFAULT-VALUE}.")
    String cache;

    @Option(names = "--params", defaultValue = "lwr-3072-q128-p85-rec", description = "PSA parameter set. Default: ${DEFAULT-VALUE}.")
    String params;

    @Override
    public Integer call() throws Exception {
        if (!graph.equals("sparse") && !graph.equals("complete")) {
            throw new IllegalArgumentException("--graph must be sparse or complete, was " + graph);
        }
        if (!cache.equals("warm") && !cache.equals("cold")) {
            throw new IllegalArgumentException("--cache must be warm or cold, was " + cache);
        }
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return new SetupBench(meters, graph.equals("sparse"), t, cache.equals("cold"), params, System.out).run() ? 0 : 1;
    }
}
