package org.psametering.cli.compare;

/** Accumulates elapsed wall-clock time over several intervals. */
final class Stopwatch {

    private long totalNanos;
    private long startedAt;

    void start() {
        startedAt = System.nanoTime();
    }

    void stop() {
        totalNanos += System.nanoTime() - startedAt;
    }

    double millis() {
        return totalNanos / 1e6;
    }
}
