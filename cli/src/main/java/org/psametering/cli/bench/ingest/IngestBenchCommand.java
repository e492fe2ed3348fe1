package org.psametering.cli.bench.ingest;

import java.util.concurrent.Callable;
import org.psametering.cli.bench.ingest.groups.MultiGroupBench;
import org.psametering.cli.bench.ingest.groups.MultiGroupSettings;
import org.psametering.crypto.psa.PsaParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa bench ingest}: how fast the head-end takes in one group's ciphertexts over MQTT, and how soon the sum is stored. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"M meters in one group publish one time-step each through Mosquitto to the in-process head-end;",
                "reports the ciphertexts/s the head-end accepted and the delay from the last ciphertext to the stored aggregate",
                "(median over the measured steps). Starts its own Mosquitto on a free port unless --broker is given.",
                "Key setup runs once, outside the measurement (see the output for how)."})
public final class IngestBenchCommand implements Callable<Integer> {
    @Option(names = "--meters", defaultValue = "2000", description = "Meters in the group, at most 2500 (key set size). Default: ${DEFAULT-VALUE}.")
    int meters;

    @Option(names = "--broker", description = "MQTT broker URL (default: start a local Mosquitto on a free port).")
    String broker;

    @Option(names = "--steps", defaultValue = "5", description = "Time-steps to measure (the first counts as warm-up). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--burst", description = {"Hold the head-end's connection (through a local relay) while each step is published,",
            "then release it: measures how fast the head-end drains ciphertexts queued at the broker."})
    boolean burst;

    @Option(names = "--connections", defaultValue = "2", description = "MQTT connections the meters' messages are spread over. Default: ${DEFAULT-VALUE}.")
    int connections;

    // the default stays the non-recoverable set: every recorded ingest figure used it, and with --groups a recoverable
    // set keeps every member's decoded blinded key in memory for the epoch's life (recovery needs them)
    @Option(names = "--params", description = {"PSA parameter set (default: the project's default, lwr-3072-q128-p85, which cannot recover",
            "steps; the shipped configurations use lwr-3072-q128-p85-rec)."})
    String params;

    @Option(names = "--h2-sync", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"The head-end's storage.h2Sync: fsync each ingest batch before acknowledging it (default).",
                    "--no-h2-sync only hands it to the OS, as before issue 14 (faster, not power-loss safe)."})
    boolean h2Sync;

    @Option(names = "--tls", description = {"Run the benchmark twice, side by side: plain TCP, then MQTT over TLS 1.3 with client",
            "certificates (a throw-away CA; broker configured like config/mosquitto/tls.conf without the ACL). Own brokers only."})
    boolean tls;

    @Option(names = "--load-process", description = {"Publish the meters' messages from a separate JVM (same class path) instead of",
            "the benchmark's own, so the load generator's CPU, heap and GC are apart from the head-end's (plain TCP only).",
            "With --groups: the steps' ciphertexts (the key setup still publishes from the benchmark's JVM)."})
    boolean loadProcess;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the readings. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--groups", description = {"Many groups on one head-end instead of one group: G groups of --meters-per-group",
            "meters, each set up with the real pairwise key setup (see cli/README.md); --meters, --burst and --tls do not apply."})
    Integer groups;

    @Option(names = "--meters-per-group", defaultValue = "100", description = "Meters per group with --groups. Default: ${DEFAULT-VALUE}.")
    int metersPerGroup;

    @Override
    public Integer call() throws Exception {
        if (groups != null) {
            if (burst || tls) {
                throw new IllegalArgumentException("--burst and --tls are for the one-group benchmark; leave them out with --groups");
            }
            MultiGroupSettings many = new MultiGroupSettings(groups, metersPerGroup, broker, steps, connections,
                    params == null ? PsaParameters.DEFAULT : PsaParameters.byName(params), seed, h2Sync,
                    Runtime.getRuntime().availableProcessors() + 1, loadProcess);
            return new MultiGroupBench(many, System.out).run().exact() ? 0 : 1;
        }
        IngestSettings settings = new IngestSettings(meters, broker, steps, connections,
                params == null ? PsaParameters.DEFAULT : PsaParameters.byName(params), seed, burst, h2Sync, tls, loadProcess);
        return new IngestBench(settings, System.out).run() ? 0 : 1;
    }
}
