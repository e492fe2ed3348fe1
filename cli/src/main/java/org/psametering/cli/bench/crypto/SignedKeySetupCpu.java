package org.psametering.cli.bench.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The single-thread variants of {@link SignedKeySetupBenchmark} by thread CPU time, interleaved round by round
 * (unsigned, signed with a warm certificate cache, signed with a cold one, and the Ed25519 verifications alone): on a machine that other jobs load, wall-clock
 * figures vary severalfold between iterations, thread CPU time hardly. Run:
 * {@code java -cp cli/target/cli.jar org.psametering.cli.bench.crypto.SignedKeySetupCpu [rounds]}; prints the medians
 * of all rounds but the first three (warm-up) and the ratios to unsigned.
 */
public final class SignedKeySetupCpu {

    private SignedKeySetupCpu() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        if (rounds < 4) {
            throw new IllegalArgumentException("at least 4 rounds (the first 3 are warm-up)");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SignedKeySetupBenchmark bench = new SignedKeySetupBenchmark();
        bench.params = "lwr-3072-q128-p85-rec";
        bench.groupSize = 1000;
        bench.threads = 1;
        bench.setUp();
        long[] unsigned = new long[rounds];
        long[] warm = new long[rounds];
        long[] cold = new long[rounds];
        long[] floor = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            bench.unsigned();
            long t1 = threads.getCurrentThreadCpuTime();
            bench.signedWarmCache();
            long t2 = threads.getCurrentThreadCpuTime();
            bench.signedColdCache();
            long t3 = threads.getCurrentThreadCpuTime();
            bench.ed25519VerifyOnly();
            floor[r] = threads.getCurrentThreadCpuTime() - t3;
            unsigned[r] = t1 - t0;
            warm[r] = t2 - t1;
            cold[r] = t3 - t2;
        }
        double u = median(unsigned);
        double w = median(warm);
        double c = median(cold);
        double f = median(floor);
        System.out.printf("CPU ms per setup of %d members, median of rounds 4-%d: unsigned %.1f, signed warm cache %.1f (%.2fx),"
                + " signed cold cache %.1f (%.2fx)%n", bench.groupSize, rounds, u, w, w / u, c, c / u);
        // the floor: what the signatures cost if nothing but Ed25519 verification were left; (u + f) / u is the best
        // ratio any implementation of the signed path on Bouncy Castle's Ed25519 can reach
        System.out.printf("  of which Ed25519 verification alone (%d signatures, keys pre-decoded): %.1f; floor ratio"
                + " (unsigned + verification) / unsigned = %.2fx; warm-cache overhead beyond verification %.1f%n",
                bench.groupSize, f, (u + f) / u, w - u - f);
    }

    private static double median(long[] nanos) {
        long[] measured = Arrays.copyOfRange(nanos, 3, nanos.length);
        Arrays.sort(measured);
        return measured[measured.length / 2] / 1e6;
    }
}
