package org.psametering.cli.compare;

import java.io.PrintStream;
import java.util.Locale;

/** Renders a {@link ComparisonReport} as the human-readable table of `./psa compare`. */
final class ComparisonTable {

    private static final String ROW = "%-34s %-30s %s%n";

    private ComparisonTable() {
    }

    static void print(ComparisonReport r, PrintStream out) {
        SchemeFigures psa = r.psa();
        SchemeFigures dm = r.dmcfe();
        DiscreteLogFigures dl = r.dmcfeDiscreteLog();
        out.printf(Locale.ROOT, "PSA vs DMCFE: %d clients, %d label(s), readings uniform in [0, %d], seed %d%n",
                r.clients(), r.labels(), r.maxValue(), r.seed());
        out.printf(Locale.ROOT, "  PSA:   %s%n  DMCFE: %s%n%n", psa.parameters(), dm.parameters());
        row(out, "", "PSA", "DMCFE");
        row(out, "setup, all clients (sum)", time(psa.setupAllClientsMs()), time(dm.setupAllClientsMs()));
        row(out, "key-share derivation (all)", time(psa.keyDerivationMs()), time(dm.keyDerivationMs()));
        row(out, "encryption per client", time(psa.encryptPerClientMs()), time(dm.encryptPerClientMs()));
        row(out, "decryption per label", time(psa.decryptPerLabelMs()), time(dm.decryptPerLabelMs()));
        row(out, "  of which pairings / discrete log", "-",
                time(dl.pairingPerLabelMs()) + " / " + time(dl.logPerLabelMs()));
        row(out, "one-off decryptor precomputation", "none",
                time(dm.oneOffDecryptorSetupMs()) + " (" + dl.babySteps() + " baby steps, " + bytes(dl.tableBytes())
                        + ")");
        row(out, "ciphertext size", psa.ciphertextBytes() + " B", dm.ciphertextBytes() + " B");
        row(out, "client secret key", bytes(psa.clientSecretBytes()), bytes(dm.clientSecretBytes()));
        row(out, "key share sent once per client", bytes(psa.keyShareBytes()), bytes(dm.keyShareBytes()));
        row(out, "largest sum it can decrypt", sci(psa.largestSum()) + " (exact, no search)",
                sci(dm.largestSum()) + " (= N x max, table bound)");
        row(out, "sums correct", (r.labels() - psa.wrongSums()) + "/" + r.labels(),
                (r.labels() - dm.wrongSums()) + "/" + r.labels());
        out.println();
        out.printf(Locale.ROOT, "Setup is summed over all clients; each client does 1/N of it (N-1 X25519 agreements"
                + " and pairwise masks).%n");
        out.printf(Locale.ROOT, "How decryption grows: PSA decrypts with one inner product of the aggregation key and"
                + " H(t), whatever the size of the sum.%n");
        out.printf(Locale.ROOT, "DMCFE gets e(g1,g2)^sum from pairings (%s, independent of the bound) and then needs a"
                + " discrete log: baby-step giant-step%n", time(dl.pairingPerLabelMs()));
        out.printf(Locale.ROOT, "over [0, %s] takes ~sqrt(bound) = %d steps of ~%.1f us, so its time grows with the"
                + " square root of the bound%n", sci(dl.bound()), dl.babySteps(), dl.giantStepMicros());
        out.printf(Locale.ROOT, "(x100 bound -> x10 time). Projected worst case (table + one log): bound 1e12 ~ %s,"
                + " 1e14 ~ %s, 1e16 ~ %s.%n", time(dl.projectedWorstCaseMs(1_000_000_000_000L)),
                time(dl.projectedWorstCaseMs(100_000_000_000_000L)),
                time(dl.projectedWorstCaseMs(10_000_000_000_000_000L)));
        if (!r.allSumsCorrect()) {
            out.println("WRONG SUMS: at least one decrypted sum differs from the true sum.");
        }
    }

    private static void row(PrintStream out, String what, String psa, String dmcfe) {
        out.printf(Locale.ROOT, ROW, what, psa, dmcfe);
    }

    static String time(double ms) {
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.1f us", ms * 1000);
        }
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    static String sci(long n) {
        return n < 1_000_000 ? Long.toString(n) : String.format(Locale.ROOT, "%.2e", (double) n);
    }
}
