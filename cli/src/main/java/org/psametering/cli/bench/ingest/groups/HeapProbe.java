package org.psametering.cli.bench.ingest.groups;

import java.lang.management.ManagementFactory;

/** Heap in use after full collections: what the live objects hold, not how much garbage is waiting. */
final class HeapProbe {
    private HeapProbe() {
    }

    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
