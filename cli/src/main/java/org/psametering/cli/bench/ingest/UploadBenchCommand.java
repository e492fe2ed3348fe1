package org.psametering.cli.bench.ingest;

import java.util.concurrent.Callable;

import org.psametering.crypto.psa.PsaParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code psa bench upload}: how fast one head-end receives, checks, stores and combines blinded keys. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"K blinded keys (48 KiB each) in G groups are published at once through a Mosquitto started on a free port",
                "to the in-process head-end; reports the time from the first key sent to every group ACTIVE (median of the runs).",
                "Public keys and key sets come first and are not measured; the keys carry no pairwise masks (they cancel in K)."})
public final class UploadBenchCommand implements Callable<Integer> {
    @Option(names = "--keys", defaultValue = "10000", description = "Blinded keys in all. Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(names = "--groups", description = "Groups they are spread over (at most 2 500 members each). Default: keys / 2 500, rounded up.")
    Integer groups;

    @Option(names = "--runs", defaultValue = "3", description = "Runs, each with a fresh broker and head-end. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--params", defaultValue = "lwr-3072-q128-p85-rec",
            description = "PSA parameter set. Default: ${DEFAULT-VALUE} (the shipped configuration's).")
    String params;

    @Option(names = "--connections", defaultValue = "2", description = "MQTT connections of the load generator. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Override
    public Integer call() throws Exception {
        int g = groups != null ? groups : Math.max(1, (keys + IngestSettings.MAX_METERS - 1) / IngestSettings.MAX_METERS);
        if (keys < 2 || g < 1 || (keys + g - 1) / g > IngestSettings.MAX_METERS || (keys + g - 1) / g < 5 || runs < 1) {
            System.err.println("--keys / --groups must give 5.." + IngestSettings.MAX_METERS + " members per group, and --runs >= 1");
            return 2;
        }
        return new UploadBench(new UploadBench.Settings(keys, g, runs, PsaParameters.byName(params), connections), System.out).run() ? 0 : 1;
    }
}
