package org.psametering.cli.compare;

import java.io.PrintStream;
import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Runs the smart-meter scenario with PSA and with DMCFE on the same seeded readings and checks every decrypted sum.
 * Also the short comparison `./psa demo` prints at its end.
 */
public final class SchemeComparison {

    /** Small enough to finish in a few seconds: bound 10 * 10^4 = 10^5, a 317-entry baby-step table. */
    public static final int SHORT_CLIENTS = 10;
    public static final long SHORT_MAX_VALUE = 10_000;

    private SchemeComparison() {
    }

    /**
     * Measures both schemes.
     *
     * @throws IllegalArgumentException when a setting is out of range for either scheme (message names it)
     */
    public static ComparisonReport run(int clients, int labels, long maxValue, long seed, PsaParameters params,
                                       PrintStream progressOut) {
        return run(clients, labels, maxValue, seed, params, progressOut, true);
    }

    static ComparisonReport run(int clients, int labels, long maxValue, long seed, PsaParameters params,
                                PrintStream progressOut, boolean warmUp) {
        Objects.requireNonNull(params, "params");
        validate(clients, labels, maxValue);
        PsaScenario.group(params, clients, maxValue); // fail on PSA's limits before spending time on DMCFE
        Progress progress = progressOut == null ? Progress.SILENT : Progress.to(progressOut);
        if (warmUp) {
            warmUp(params, progress);
        }
        Readings readings = Readings.generate(clients, labels, maxValue, seed);
        SchemeFigures psa = PsaScenario.run(params, readings, maxValue, progress);
        DmcfeScenario.Result dmcfe = DmcfeScenario.run(readings, maxValue, progress);
        boolean correct = psa.wrongSums() == 0 && dmcfe.figures().wrongSums() == 0;
        return new ComparisonReport(clients, labels, maxValue, seed, psa, dmcfe.figures(), dmcfe.discreteLog(), correct);
    }

    /**
     * The short PSA-vs-DMCFE comparison for the end of `./psa demo`: runs both schemes on {@code clients} readings
     * of at most {@code maxValue} and prints the comparison table to {@code out} (no progress lines).
     *
     * @return true when both schemes decrypted the right sum
     */
    public static boolean printShort(int clients, long maxValue, long seed, PrintStream out) {
        // with the warm-up (about a second): cold figures would make the interpreter, not the schemes, look slow
        ComparisonReport report = run(clients, 1, maxValue, seed, PsaParameters.DEFAULT, null, true);
        ComparisonTable.print(report, out);
        return report.allSumsCorrect();
    }

    /** {@link #printShort} with {@link #SHORT_CLIENTS} clients and readings up to {@link #SHORT_MAX_VALUE}. */
    public static boolean printShort(long seed, PrintStream out) {
        return printShort(SHORT_CLIENTS, SHORT_MAX_VALUE, seed, out);
    }

    static void validate(int clients, int labels, long maxValue) {
        if (clients < 2) {
            throw new IllegalArgumentException("--clients must be at least 2, got " + clients);
        }
        if (labels < 1) {
            throw new IllegalArgumentException("--labels must be at least 1, got " + labels);
        }
        if (maxValue < 1) {
            throw new IllegalArgumentException("--max-value must be positive, got " + maxValue);
        }
        if (maxValue > (1L << 62) / clients) {
            throw new IllegalArgumentException("--clients x --max-value must stay below 2^62, got " + clients + " x "
                    + maxValue);
        }
    }

    /** Lets the JIT compile both schemes' hot paths first, so one-shot phases are not timed in the interpreter. */
    private static void warmUp(PsaParameters params, Progress progress) {
        progress.phase("both", "warming up the JIT on a 3-client group");
        Readings tiny = Readings.generate(3, 3, 100, 1);
        PsaScenario.run(params, tiny, 100, Progress.SILENT);
        DmcfeScenario.run(tiny, 100, Progress.SILENT);
    }
}
