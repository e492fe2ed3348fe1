package org.psametering.cli.bench;

import org.psametering.cli.bench.ingest.IngestBenchCommand;
import org.psametering.cli.bench.recovery.RecoveryBenchCommand;
import org.psametering.cli.bench.web.AggregatesBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code psa bench}: the JMH micro-benchmarks and the end-to-end MQTT ingest benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: crypto, dmcfe and head-end run JMH; ingest measures the head-end's MQTT ingest rate and delay; recovery the cost of steps with missing meters; aggregates times the aggregates API.",
        subcommands = {JmhCommand.Crypto.class, JmhCommand.Dmcfe.class, JmhCommand.HeadEnd.class, IngestBenchCommand.class, org.psametering.cli.bench.ingest.UploadBenchCommand.class, RecoveryBenchCommand.class,
                AggregatesBenchCommand.class, org.psametering.cli.bench.setup.SetupBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
