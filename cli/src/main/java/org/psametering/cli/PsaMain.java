package org.psametering.cli;

import org.psametering.cli.bench.BenchCommand;
import org.psametering.cli.compare.CompareCommand;
import org.psametering.cli.demo.DemoCommand;
import org.psametering.cli.pki.PkiCommand;
import org.psametering.cli.simulate.SimulateCommand;
import org.psametering.cli.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code cli.jar}, which the {@code ./psa} launcher runs for demo, compare, simulate, bench and soak. */
@Command(name = "psa", mixinStandardHelpOptions = true, version = "psa-metering 0.1.0",
        description = "Privacy-preserving smart metering with lattice-based Private Stream Aggregation (PSA).",
        subcommands = {DemoCommand.class, CompareCommand.class, SimulateCommand.class, BenchCommand.class, SoakCommand.class,
                PkiCommand.class})
public final class PsaMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Dependencies (HiveMQ, the apps) ship their own logback.xml; a uniquely named file makes ours the one that wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "psa-cli-logback.xml");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code instead of exiting, so tests can call it. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with this program's error handling; tests set its out/err writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new PsaMain()).setExecutionExceptionHandler(PsaMain::reportError);
    }

    /** Bad input and failed preconditions get one clear line, not a stack trace; anything else is a bug and shows its trace. */
    private static int reportError(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("psa " + commandLine.getCommandName() + ": " + e.getMessage());
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        // No subcommand given: show what there is rather than doing something surprising.
        spec.commandLine().usage(System.out);
    }
}
