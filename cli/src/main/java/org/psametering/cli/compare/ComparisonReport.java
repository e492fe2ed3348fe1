package org.psametering.cli.compare;

/** Everything `./psa compare` measured; serialised as-is by --json. */
public record ComparisonReport(
        int clients,
        int labels,
        long maxValue,
        long seed,
        SchemeFigures psa,
        SchemeFigures dmcfe,
        DiscreteLogFigures dmcfeDiscreteLog,
        boolean allSumsCorrect) {
}
