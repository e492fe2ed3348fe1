package org.psametering.cli.bench.recovery;

import java.util.concurrent.Callable;
import org.psametering.crypto.psa.PsaParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa bench recovery}: what a step with missing meters costs, from its deadline to the stored RECOVERED sum. */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = {"N meters in one group (recoverable parameter set) through Mosquitto and the in-process head-end.",
                "First complete steps, then steps in which a fraction F of the meters sends nothing: the head-end asks the",
                "others for one answer each and stores the RECOVERED sum. Reports (medians): deadline -> stored RECOVERED,",
                "per-meter answer cost, the head-end's combine cost, and recovered vs complete step. Every sum is checked",
                "against the readings; a wrong or missing sum fails the run (exit 1). Starts its own Mosquitto on a free",
                "port unless --broker is given. Key setup uses a shortcut for the masks between reporting meters (see the",
                "output and the README)."})
public final class RecoveryBenchCommand implements Callable<Integer> {
    @Option(names = "--meters", defaultValue = "1000", description = "Meters in the group. Default: ${DEFAULT-VALUE}.")
    int meters;

    @Option(names = "--missing", defaultValue = "0.01", description = "Fraction of the meters missing in each recovered step"
            + " (0.01: 10 of 1 000). Default: ${DEFAULT-VALUE}.")
    double missing;

    @Option(names = "--steps", defaultValue = "6", description = "Recovered steps (the first counts as warm-up). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--complete-steps", defaultValue = "4", description = "Complete steps before them, for the comparison (the"
            + " first counts as warm-up). Default: ${DEFAULT-VALUE}.")
    int completeSteps;

    @Option(names = "--broker", description = "MQTT broker URL (default: start a local Mosquitto on a free port).")
    String broker;

    @Option(names = "--connections", defaultValue = "2", description = "MQTT connections the meters' messages are spread over. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--params", description = "PSA parameter set with recovery (default: " + "lwr-3072-q128-p85-rec" + ").")
    String params;

    @Option(names = "--h2-sync", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"The head-end's storage.h2Sync: fsync each stored batch and recovery answer before acknowledging it",
                    "(default). --no-h2-sync only hands them to the OS (not power-loss safe), to see what the fsyncs cost."})
    boolean h2Sync;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the readings. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        RecoverySettings settings = new RecoverySettings(meters, missing, steps, completeSteps, broker, connections,
                params == null ? PsaParameters.RECOVERABLE : PsaParameters.byName(params), seed, h2Sync);
        return new RecoveryBench(settings, System.out).run() ? 0 : 1;
    }
}
