package org.psametering.cli.soak;

import java.io.PrintStream;
import java.util.List;

/** The soak's report for a terminal. */
final class SoakReportPrinter {
    private SoakReportPrinter() {
    }

    static void print(SoakReport r, PrintStream out) {
        out.println();
        out.printf("Soak: %d meters, %.1f s steps, seed %d, %.1f min of faults (%.1f min in all)%n", r.meters(), r.stepSeconds(), r.seed(),
                r.faultMinutes(), r.wallMinutes());
        out.printf("  steps       %8d%n", r.steps());
        out.printf("  exact       %8d   COMPLETE with the true sum%n", r.exact());
        out.printf("  recovered   %8d%n", r.recovered());
        out.printf("  incomplete  %8d   a meter missed the step (crashed or cut off when it ended), so there is no sum%n", r.incomplete());
        if (r.incompleteAllAcked() > 0) {
            out.printf("              %8d   of them although the broker had acknowledged every member's ciphertext%n", r.incompleteAllAcked());
        }
        if (r.noResult() > 0) {
            out.printf("  no result   %8d   steps the head-end never recorded%n", r.noResult());
        }
        out.printf("  wrong       %8d   (must be 0)%n", r.wrong());
        out.printf("  readings    %8d encrypted, %d acknowledged by the broker, %d still queued at the end, %d labels reused (must be 0)%n",
                r.encrypted(), r.acknowledged(), r.unsentAtEnd(), r.reusedLabels());
        out.println("  acknowledged ciphertexts, each by what the head-end stored:");
        out.printf("    summed    %8d   in a COMPLETE or RECOVERED sum%n", r.summed());
        out.printf("    refused   %8d   after their step's recovery was requested (AFTER_RECOVERY, recorded per meter and label)%n",
                r.refusedAfterRecovery());
        out.printf("    held      %8d   stored for a step without a sum (INCOMPLETE)%n", r.heldInIncomplete());
        out.printf("    lost      %8d   none of these (must be 0)%s%n", r.lost(),
                r.lostNearBrokerKill() > 0 ? "; " + r.lostNearBrokerKill() + " acknowledged < 1 s before a broker kill" : "");
        out.printf("  forged epoch %7d   meters holding an epoch the head-end never started (led by a forged announcement);"
                + " %d of them still reported in the last 3 steps%n", r.metersOnBogusEpoch(), r.bogusEpochMetersReporting());
        out.printf("  faults      %8d   %s (%d meter crashes from a crash image)%n", r.faultsInjected(), r.faults(), r.crashImages());
        out.printf("  hostile     %8d   %s on %s; %d not sent (broker down)%n", r.hostileSent(), r.hostileByKind(), r.hostileByTopic(),
                r.hostileNotSent());
        out.printf("  head-end rejections %s%n", r.headEndRejections());
        details(out, "wrong results", r.wrongResults());
        details(out, "lost ciphertexts", r.lostCiphertexts());
        details(out, "harness errors", r.harnessErrors());
        out.println(r.passed() ? "PASSED: no wrong sum, no lost acknowledged ciphertext, no reused label"
                : "FAILED: see above and the logs in " + r.workDir());
    }

    private static void details(PrintStream out, String what, List<String> lines) {
        if (!lines.isEmpty()) {
            out.println("  " + what + " (first " + lines.size() + "):");
            lines.forEach(l -> out.println("    " + l));
        }
    }
}
