package org.psametering.cli.bench.recovery;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.psametering.headend.HeadEnd;

/** Everything the recovery benchmark prints: the setup, one row per step, and the medians. */
final class RecoveryBenchReport {
    private final RecoverySettings settings;
    private final PrintStream out;

    RecoveryBenchReport(RecoverySettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    void completeHeader() {
        out.printf("%n%-9s %10s %24s %20s%n", "complete", "meters", "last ct -> COMPLETE", "aggregate (alone)");
    }

    void completeRow(int number, CompleteStep c) {
        out.printf("%-9d %10d %21.1f ms %17.3f ms%n", number, settings.meters(), c.lastCtToResultNanos() / 1e6,
                c.aggregateNanos() / 1e6);
    }

    void recoveredHeader() {
        out.printf("%n%-9s %9s %8s %18s %16s %18s %20s %14s %12s%n", "recovered", "reporting", "missing",
                "deadline -> request", "meters answer", "last ans -> RECOV", "deadline -> RECOVERED", "answer (cpu)",
                "combine");
    }

    void recoveredRow(int number, RecoveredStep r) {
        out.printf("%-9d %9d %8d %15.1f ms %13.1f ms %15.1f ms %17.1f ms %11.3f ms %9.2f ms%n", number, r.reporting(),
                settings.missing(), r.deadlineToRequestNanos() / 1e6, r.metersNanos() / 1e6,
                r.lastAnswerToResultNanos() / 1e6, r.deadlineToResultNanos() / 1e6, r.answerCpuMedianNanos() / 1e6,
                r.combineNanos() / 1e6);
    }

    void setup(RecoveryBenchGroup.SetupTimes t) {
        out.printf("  generated %d PSA keys and X25519 key pairs: %.1f s%n", settings.meters(), t.keyGeneration().toMillis() / 1e3);
        out.printf("  public keys published, head-end sent the key set: %.1f s%n", t.publicKeys().toMillis() / 1e3);
        out.printf("  blinded keys (shortcut) sent, head-end combined them into K and went ACTIVE: %.1f s%n",
                t.blindedKeys().toMillis() / 1e3);
        out.printf("  SHORTCUT: each reporting meter's blinded key carries its real masks with the %d missing meters (X25519,"
                        + " HKDF,%n  expansion: the very seeds its answers use) but none with the other reporting meters (they"
                        + " cancel in K and K');%n  the missing meters' shares sum to the opposite. Everything after the key"
                        + " setup runs as in the field.%n", settings.missing());
    }

    void summary(List<CompleteStep> complete, List<RecoveredStep> recovered, HeadEnd headEnd) {
        List<CompleteStep> c = complete.size() > 1 ? complete.subList(1, complete.size()) : complete;
        List<RecoveredStep> r = recovered.size() > 1 ? recovered.subList(1, recovered.size()) : recovered;
        double completeHeadEnd = median(c.stream().mapToLong(CompleteStep::lastCtToResultNanos).toArray());
        double aggregate = median(c.stream().mapToLong(CompleteStep::aggregateNanos).toArray());
        double total = median(r.stream().mapToLong(RecoveredStep::deadlineToResultNanos).toArray());
        double toRequest = median(r.stream().mapToLong(RecoveredStep::deadlineToRequestNanos).toArray());
        double metersPart = median(r.stream().mapToLong(RecoveredStep::metersNanos).toArray());
        double computePart = median(r.stream().mapToLong(RecoveredStep::computeNanos).toArray());
        double afterAnswers = median(r.stream().mapToLong(RecoveredStep::lastAnswerToResultNanos).toArray());
        double headEndPart = median(r.stream().mapToLong(RecoveredStep::headEndNanos).toArray());
        double answerCpu = median(r.stream().mapToDouble(RecoveredStep::answerCpuMedianNanos).toArray());
        double answerWall = median(r.stream().mapToDouble(RecoveredStep::answerWallMedianNanos).toArray());
        double combine = median(r.stream().mapToLong(RecoveredStep::combineNanos).toArray());
        out.printf("%nMedians (%s; every sum checked exact):%n", recovered.size() > 1 || complete.size() > 1
                ? "the first step of each kind warms up the JIT and is left out" : "single steps");
        out.printf("  deadline -> stored RECOVERED aggregate:   %9.1f ms  (%d meters, %d missing)%n", total / 1e6,
                settings.meters(), settings.missing());
        out.printf("    deadline -> request at the meters:      %9.1f ms  (head-end: notices the deadline, stores RECOVERING,"
                + " publishes)%n", toRequest / 1e6);
        out.printf("    request -> last answer acked by broker: %9.1f ms  (%d answers computed here on %d cores in %.1f ms, then"
                + "%n%47s published over %d connections; in the field each meter computes and sends its own in parallel)%n",
                metersPart / 1e6, settings.meters() - settings.missing(), Runtime.getRuntime().availableProcessors(),
                computePart / 1e6, "", settings.connections());
        out.printf("    last answer -> stored RECOVERED:        %9.1f ms  (head-end: MAC checks, stores answers, combines,"
                + " stores the sum)%n", afterAnswers / 1e6);
        out.printf("  per-meter answer cost:                    %9.3f ms CPU (%.3f ms wall), policy + answer from pairwise"
                + " seeds + encode + MAC%n", answerCpu / 1e6, answerWall / 1e6);
        out.printf("  head-end combine (RecoveryAggregator):    %9.3f ms  vs aggregate of a complete step %.3f ms: %.1fx%n",
                combine / 1e6, aggregate / 1e6, combine / aggregate);
        out.printf("  head-end time on the critical path:       %9.1f ms recovered (deadline -> request + last answer ->"
                + " stored)%n%44s %9.1f ms complete (last ciphertext -> stored COMPLETE): %.1fx%n", headEndPart / 1e6, "",
                completeHeadEnd / 1e6, headEndPart / completeHeadEnd);
        out.printf("Head-end rejections during the run: %s%n", headEnd.rejections().values().stream().mapToLong(Long::longValue).sum());
    }

    static double median(long[] values) {
        return median(Arrays.stream(values).asDoubleStream().toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
