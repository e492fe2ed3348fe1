package org.psametering.cli.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.psametering.crypto.psa.PsaParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `./psa compare`: the smart-meter scenario with PSA and with DMCFE, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs the smart-meter scenario with lattice PSA and with DLog-based DMCFE (Chotard et al. 2018)"
                + " on the same seeded readings, checks every decrypted sum and prints what each scheme costs.",
            "Progress goes to stderr; exit status 1 if any sum is wrong, 2 on bad options."})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "100", description = "Number of clients (meters). Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--labels", defaultValue = "1", description = "Time steps (labels) to encrypt and decrypt. Default: ${DEFAULT-VALUE}.")
    int labels;

    @Option(names = "--max-value", defaultValue = "100000000",
            description = "Largest reading; readings are uniform in [0, max]. DMCFE's discrete log covers clients x max."
                    + " Default: ${DEFAULT-VALUE}.")
    long maxValue;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the readings. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--params", description = "PSA parameter set name. Default: PsaParameters.DEFAULT.")
    String params;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--no-warm-up", hidden = true, description = "Skip the JIT warm-up (tests; figures get noisier).")
    boolean noWarmUp;

    private final PrintStream out;
    private final PrintStream err;

    public CompareCommand() {
        this(System.out, System.err);
    }

    CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CompareCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PsaParameters psaParams;
        ComparisonReport report;
        try {
            psaParams = params == null ? PsaParameters.DEFAULT : PsaParameters.byName(params);
            report = SchemeComparison.run(clients, labels, maxValue, seed, psaParams, err, !noWarmUp);
        } catch (IllegalArgumentException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        }
        if (json) {
            out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            ComparisonTable.print(report, out);
        }
        out.flush();
        return report.allSumsCorrect() ? 0 : 1;
    }
}
