package org.psametering.cli.bench.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads by name, digits folded (so "MQTT Rec: psa-bench-0-…" and its siblings add up): which
 * part of the benchmark JVM (head-end core, Paho receive/send, watchers) used the CPU. GC and JIT threads are not Java
 * threads; they are the JVM total minus these.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    static Map<String, Long> snapshot() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = mx.getThreadCpuTime(t.threadId());
            if (nanos > 0) {
                byName.merge(kind(t.getName()), nanos, Long::sum);
            }
        }
        return byName;
    }

    /** Thread name with client ids and numbers folded: Paho names its threads after the client id. */
    static String kind(String name) {
        int colon = name.indexOf(':');
        String base = colon > 0 ? name.substring(0, colon) : name;
        return base.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*").replaceAll("\\d+", "N");
    }

    /** The {@code top} largest differences, "name 0.12 s" each, largest first. */
    static String top(Map<String, Long> before, Map<String, Long> after, int top) {
        Map<String, Long> diff = new HashMap<>();
        after.forEach((k, v) -> diff.put(k, v - before.getOrDefault(k, 0L)));
        return diff.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9)).collect(Collectors.joining(", "));
    }

    static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new HashMap<>(a);
        b.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return sum;
    }
}
