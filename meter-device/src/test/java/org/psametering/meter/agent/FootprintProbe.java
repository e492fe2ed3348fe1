package org.psametering.meter.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Manual measurement, not a test: heap per meter agent with an active epoch, and CPU time per step for all of them.
 * Run: see meter-device/README.md ("Measured").
 */
public final class FootprintProbe {

    public static void main(String[] args) {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < meters; i++) {
            ids.add(String.format("m%05d", i));
        }
        long before = usedHeap();
        long t0 = System.nanoTime();
        GroupHarness h = new GroupHarness(ids);
        long epochFrom = h.setUpEpoch(1);
        long setupNanos = System.nanoTime() - t0;
        h.tickAll();
        h.step(new long[meters]); // ends the step before activeFrom (no key yet)
        long[] use = new long[meters];
        java.util.Arrays.fill(use, 250);
        h.step(use); // first encryption: creates the encryptors
        long after = usedHeap();
        long t1 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            h.step(use);
        }
        long stepNanos = (System.nanoTime() - t1) / steps;
        long sent = h.members.values().stream().mapToLong(m -> m.agent.stats().encrypted()).sum();
        System.out.printf("meters=%d groupSize=%d activeFrom=%d encrypted=%d%n", meters, meters, epochFrom, sent);
        System.out.printf("key setup (all meters, incl. test head-end combine): %.1f ms%n", setupNanos / 1e6);
        System.out.printf("heap per active meter: %.1f KiB%n", (after - before) / 1024.0 / meters);
        System.out.printf("one step for all meters (read, save label, encrypt, seal, queue, send): %.2f ms = %.1f us/meter%n",
                stepNanos / 1e6, stepNanos / 1e3 / meters);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
