package org.psametering.cli.bench.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * CPU time of the parts sharing the machine during a benchmark, so a rate can be read against what each part used:
 * the benchmark's JVM (head-end, watchers, and the load generator too when it runs in-process), the head-end's core
 * thread within it, the load-generator process when separate, and the broker. Differences of two snapshots.
 */
public record ComponentCpu(long benchJvmNanos, long coreThreadNanos, long generatorNanos, long brokerNanos, long wallNanos) {
    /** The head-end's single core thread (CoreLoop). */
    private static final String CORE_THREAD = "psa-head-end-core";

    /** A snapshot now; {@code generator} is the current process for an in-process generator, {@code broker} null if not ours. */
    public static ComponentCpu now(ProcessHandle generator, ProcessHandle broker) {
        long self = cpu(ProcessHandle.current());
        return new ComponentCpu(self, coreThread(), generator.pid() == ProcessHandle.current().pid() ? 0 : cpu(generator),
                broker == null ? 0 : cpu(broker), System.nanoTime());
    }

    public ComponentCpu since(ComponentCpu earlier) {
        return new ComponentCpu(benchJvmNanos - earlier.benchJvmNanos, coreThreadNanos - earlier.coreThreadNanos,
                generatorNanos - earlier.generatorNanos, brokerNanos - earlier.brokerNanos, wallNanos - earlier.wallNanos);
    }

    public ComponentCpu plus(ComponentCpu other) {
        return new ComponentCpu(benchJvmNanos + other.benchJvmNanos, coreThreadNanos + other.coreThreadNanos,
                generatorNanos + other.generatorNanos, brokerNanos + other.brokerNanos, wallNanos + other.wallNanos);
    }

    /** One line: each part's CPU seconds and its share of one core over the wall time. */
    public String describe(boolean separateGenerator, boolean brokerKnown) {
        double wall = wallNanos / 1e9;
        StringBuilder s = new StringBuilder(String.format("wall %.2f s; CPU: benchmark JVM %s (head-end core thread %s)", wall,
                share(benchJvmNanos), share(coreThreadNanos)));
        if (separateGenerator) {
            s.append(String.format(", load-generator process %s", share(generatorNanos)));
        } else {
            s.append(" [load generator in the benchmark JVM]");
        }
        s.append(String.format(", Mosquitto %s", !brokerKnown ? "n/a (not started here)" : share(brokerNanos)));
        return s.toString();
    }

    private String share(long nanos) {
        return String.format("%.2f s = %.0f%% of a core", nanos / 1e9, wallNanos == 0 ? 0 : 100.0 * nanos / wallNanos);
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long coreThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(CORE_THREAD))
                .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.threadId()))).sum();
    }
}
