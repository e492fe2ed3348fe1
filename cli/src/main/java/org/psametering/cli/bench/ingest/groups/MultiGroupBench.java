package org.psametering.cli.bench.ingest.groups;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.psametering.cli.bench.ingest.ComponentCpu;
import org.psametering.cli.bench.ingest.LoadGenerator;
import org.psametering.cli.bench.ingest.ParallelPublisher;
import org.psametering.cli.bench.ingest.ProcessLoadGenerator;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.demo.TempDirs;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.time.SteppedClock;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * Many groups on ONE head-end (issue 12): G groups of M simulated meters, each group set up with the real pairwise key
 * setup ({@link FleetKeySetup}) through a real Mosquitto, then several time-steps in which every meter publishes one
 * ciphertext. The head-end runs in this process on a {@link SteppedClock} (no deadline can fire mid-measurement); the
 * meters' messages go over a few shared MQTT connections; results are read from the result topic. Every group's
 * aggregate is checked against the sum of its readings. With {@code loadProcess} the steps' ciphertexts are published
 * from a separate JVM ({@link ProcessLoadGenerator}); the key setup always publishes from this one (its groups publish
 * concurrently, and it is not what the steps measure).
 */
public final class MultiGroupBench {
    private static final int STEP_SECONDS = 900;
    private static final long MAX_BENCH_READING = 5_000; // Wh per 15 minutes: a generous household maximum
    private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(15);

    private final MultiGroupSettings settings;
    private final PrintStream out;
    /** CPU of the parts over each measured step (benchmark JVM, core thread, load-generator process, broker). */
    private final List<ComponentCpu> stepCpu = new ArrayList<>();

    public MultiGroupBench(MultiGroupSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** The outcome: every aggregate exact, and the medians reported. */
    public record Summary(boolean exact, double rate, double latencyMedianMillis, double latencyP95Millis, Duration keySetup,
                          long headEndHeapBytes) {
    }

    /** Runs the benchmark; false (after printing why) when an aggregate was wrong or missing. */
    public Summary run() throws IOException, InterruptedException, MqttException {
        Path work = Files.createTempDirectory("psa-bench-groups-");
        ExecutorService pool = Executors.newFixedThreadPool(settings.setupThreads(), r -> {
            Thread t = new Thread(r, "bench-fleet");
            t.setDaemon(true);
            return t;
        });
        try (MosquittoBroker ownBroker = settings.brokerUrl() == null ? MosquittoBroker.start(work.resolve("mosquitto")) : null) {
            String url = ownBroker == null ? settings.brokerUrl() : ownBroker.url();
            return runAgainst(url, ownBroker == null ? null : ownBroker.processHandle(), work, pool);
        } finally {
            pool.shutdownNow();
            TempDirs.deleteQuietly(work);
        }
    }

    /** {@code brokerProcess}: the Mosquitto started for this run, null for an external broker. */
    private Summary runAgainst(String url, ProcessHandle brokerProcess, Path work, ExecutorService pool)
            throws IOException, InterruptedException, MqttException {
        boolean ownBroker = brokerProcess != null;
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        List<FleetGroup> groups = new ArrayList<>(settings.groups());
        List<GroupSettings> groupSettings = new ArrayList<>(settings.groups());
        for (int g = 0; g < settings.groups(); g++) {
            String id = String.format("mg%s-%04d", run, g + 1);
            String prefix = String.format("g%04d-m", g + 1);
            List<String> ids = IntStream.range(0, settings.metersPerGroup()).mapToObj(i -> FleetSpec.meterId(prefix, i)).toList();
            groups.add(new FleetGroup(id, ids));
            // its meters blind over the group key set (FleetKeySetup): the complete graph at any --meters-per-group
            groupSettings.add(LocalHeadEndConfig.group(id, settings.params().name(), STEP_SECONDS, STEP_SECONDS / 3, ids)
                    .withMaskGraph("complete"));
        }
        out.printf("Many-groups ingest benchmark: %d groups x %d meters = %,d meters on ONE head-end, %s, broker %s%s;%n"
                        + "head-end in this process (embedded H2, %s); the meters' messages over %d shared MQTT connections, QoS 1;%n"
                        + "real pairwise key setup per group on %d threads; %d cores; load average %.2f at start.%n",
                settings.groups(), settings.metersPerGroup(), settings.meters(), settings.params().name(), url,
                ownBroker ? " (Mosquitto started for this run)" : "",
                settings.h2Sync() ? "each batch fsynced before its ack" : "NO fsync before acks", settings.connections(),
                settings.setupThreads(), Runtime.getRuntime().availableProcessors(), HeapProbe.loadAverage());
        try (FleetObserver observer = new FleetObserver(url);
             ParallelPublisher publisher = new ParallelPublisher(url, settings.connections());
             ProcessLoadGenerator separate = settings.loadProcess()
                     ? new ProcessLoadGenerator(url, settings.connections(), work.resolve("load-generator")) : null) {
            LoadGenerator load = separate == null ? publisher : separate;
            out.println(separate == null ? "Load generator: publishing clients in this JVM."
                    : "Load generator: a separate JVM (pid " + separate.process().pid() + ", --load-process) for the steps: each step's"
                            + " ciphertexts are sealed here and handed over in a file before the clock starts; the key setup publishes"
                            + " from this JVM.");
            Measured measured = withHeadEnd(url, work, groups, groupSettings, observer, publisher, load, pool, brokerProcess);
            // measured after withHeadEnd returned: its frame, the last holder of the closed head-end, is gone
            long heapWithout = HeapProbe.usedAfterGc();
            return summary(measured.steps(), measured.setup(), measured.heapWithHeadEnd() - heapWithout, measured.heapWithHeadEnd(),
                    heapWithout);
        }
    }

    /** What one run with the head-end up measured; the heap with it running, at steady state after the steps. */
    private record Measured(FleetKeySetup.Times setup, List<GroupStep> steps, long heapWithHeadEnd) {
    }

    /** {@code publisher} carries the key setup, {@code load} the steps' ciphertexts (the same one without --load-process). */
    private Measured withHeadEnd(String url, Path work, List<FleetGroup> groups, List<GroupSettings> groupSettings, FleetObserver observer,
                                 ParallelPublisher publisher, LoadGenerator load, ExecutorService pool, ProcessHandle brokerProcess)
            throws InterruptedException {
        SteppedClock clock = new SteppedClock(TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS), STEP_SECONDS).plusSeconds(1));
        List<GroupStep> measured = new ArrayList<>();
        try (HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(work.resolve("head-end"), url, 50,
                groupSettings.toArray(GroupSettings[]::new)).withStorage(StorageSettings.defaults().withH2Sync(settings.h2Sync())), clock)) {
            out.println("Key setup (real, every meter: X25519 key signed with its certificate, key set checked, "
                    + (settings.metersPerGroup() - 1) + " agreements and masks, blinded key) ...");
            FleetKeySetup.Times setup = new FleetKeySetup(groups, settings.params(), observer, publisher, pool, out).run();
            out.printf("  all %d groups ACTIVE: %.1f s (public keys until every key set was out %.1f s, then blinded keys until"
                            + " every group was ACTIVE %.1f s); load average %.2f%n", settings.groups(), setup.total().toMillis() / 1e3,
                    setup.publicKeys().toMillis() / 1e3, setup.blindedKeys().toMillis() / 1e3, HeapProbe.loadAverage());
            out.printf("%n%-6s %12s %16s %12s %16s %16s %16s  %s%n", "step", "ciphertexts", "accepted in", "ct/s",
                    "latency median", "latency p95", "latency max", "aggregates");
            for (int s = 0; s < settings.steps(); s++) {
                GroupStep m = measureStep(setup.activeFrom() + s, clock, groups, load, observer, headEnd, pool, brokerProcess);
                measured.add(m);
                out.printf("%-6d %12d %13.1f ms %,12.0f %13.1f ms %13.1f ms %13.1f ms  %s%n", s + 1, m.ciphertexts(),
                        m.acceptedNanos() / 1e6, m.ciphertextsPerSecond(), percentile(m.latencyNanos(), 50) / 1e6,
                        percentile(m.latencyNanos(), 95) / 1e6, percentile(m.latencyNanos(), 100) / 1e6,
                        m.wrong() == 0 ? "all " + settings.groups() + " exact" : m.wrong() + " WRONG");
            }
            List<ComponentCpu> counted = stepCpu.size() > 1 ? stepCpu.subList(1, stepCpu.size()) : stepCpu;
            out.printf("Over the %s, %s.%n", stepCpu.size() > 1 ? "counted steps" : "single step",
                    counted.stream().reduce(new ComponentCpu(0, 0, 0, 0, 0), ComponentCpu::plus)
                            .describe(settings.loadProcess(), brokerProcess != null));
            long heapWithHeadEnd = HeapProbe.usedAfterGc();
            out.printf("Head-end rejections during the run: %d; load average %.2f at the end of the steps%n",
                    headEnd.rejections().values().stream().mapToLong(Long::longValue).sum(), HeapProbe.loadAverage());
            return new Measured(setup, measured, heapWithHeadEnd);
        }
    }

    private Summary summary(List<GroupStep> measured, FleetKeySetup.Times setup, long headEndHeap, long heapWith, long heapWithout) {
        List<GroupStep> counted = measured.size() > 1 ? measured.subList(1, measured.size()) : measured;
        double[] rates = counted.stream().mapToDouble(GroupStep::ciphertextsPerSecond).toArray();
        long[] latencies = counted.stream().flatMapToLong(m -> Arrays.stream(m.latencyNanos())).toArray();
        boolean exact = measured.stream().allMatch(m -> m.wrong() == 0);
        double median = percentile(latencies, 50) / 1e6;
        double p95 = percentile(latencies, 95) / 1e6;
        out.printf("%nMedian over %s: %,.0f ciphertexts/s accepted by the head-end (stored, acknowledged);%n"
                        + "step -> stored aggregate (from the step's first ciphertext to the group's result), over all groups: median"
                        + " %.1f ms, p95 %.1f ms.%n", measured.size() > 1 ? "steps 2.." + measured.size() + " (step 1 warms up)" : "the single step",
                median(rates), median, p95);
        out.printf("Key setup of all %d groups: %.1f s.%n", settings.groups(), setup.total().toMillis() / 1e3);
        out.printf("Head-end heap, used after full GC at steady state: %.1f MiB (%.1f MiB with the head-end running, %.1f MiB after it"
                        + " closed; the rest is the simulated fleet and %s); %.1f KiB per group.%n",
                headEndHeap / 1048576.0, heapWith / 1048576.0, heapWithout / 1048576.0,
                settings.loadProcess() ? "the key setup's publishing clients" : "the load generator", headEndHeap / 1024.0 / settings.groups());
        if (!exact) {
            out.println("FAILED: WRONG or missing aggregates (see the table)");
        }
        return new Summary(exact, median(rates), median, p95, setup.total(), headEndHeap);
    }

    private GroupStep measureStep(long label, SteppedClock clock, List<FleetGroup> groups, LoadGenerator publisher,
                                  FleetObserver observer, HeadEnd headEnd, ExecutorService pool, ProcessHandle brokerProcess)
            throws InterruptedException {
        clock.set(TimeSteps.start(label + 1, STEP_SECONDS).plusSeconds(1)); // the step just ended for every meter
        int m = settings.metersPerGroup();
        int total = groups.size() * m;
        byte[][] payloads = new byte[total][];
        String[] topics = new String[total];
        long[] expected = new long[groups.size()];
        long maxReading = Math.min(MAX_BENCH_READING, settings.params().maxReading(m));
        List<Future<?>> work = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int gi = g;
            work.add(pool.submit(() -> {
                FleetGroup group = groups.get(gi);
                SplittableRandom readings = new SplittableRandom(settings.seed() * 1_000_003 + label * 7_919 + gi);
                long sum = 0;
                for (int i = 0; i < m; i++) {
                    long reading = readings.nextLong(maxReading + 1);
                    sum += reading;
                    PsaEncryptor encryptor = new PsaEncryptor(SeededPsaKeys.key(settings.params(), group.keySeeds[i]), group.context,
                            Long.MIN_VALUE);
                    payloads[gi * m + i] = CiphertextMessage.seal(Encodings.encode(encryptor.encrypt(label, reading), settings.params()),
                            group.messageKeys[i]);
                    topics[gi * m + i] = Topics.ciphertext(group.id, group.epoch, group.meters.get(i));
                }
                expected[gi] = sum;
                return null;
            }));
        }
        for (Future<?> f : work) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("encrypting step " + label + " failed: " + e.getCause(), e.getCause());
            }
        }
        // the meters of all groups report at once, in no particular order
        int[] order = IntStream.range(0, total).toArray();
        SplittableRandom shuffle = new SplittableRandom(settings.seed() + label);
        for (int i = total - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long acceptedBefore = headEnd.counters().ciphertextsAccepted();
        ComponentCpu cpuBefore = ComponentCpu.now(publisher.process(), brokerProcess);
        AtomicLong acceptedAt = new AtomicLong();
        Thread watch = Thread.ofPlatform().daemon().name("bench-acceptance-watch").start(() -> {
            while (headEnd.counters().ciphertextsAccepted() < acceptedBefore + total) {
                LockSupport.parkNanos(200_000);
            }
            acceptedAt.set(System.nanoTime());
        });
        ParallelPublisher.Timing timing = publisher.publishAll(total, i -> new ParallelPublisher.Outgoing(topics[order[i]],
                payloads[order[i]], false));
        long start = timing.firstSentNanos();
        observer.await(() -> {
            Map<String, FleetObserver.Arrived> r = observer.results(label);
            return r.size() == groups.size() && r.values().stream().allMatch(a -> a.result().status() == ResultStatus.COMPLETE);
        }, RESULT_TIMEOUT);
        watch.join(Duration.ofSeconds(10));
        stepCpu.add(ComponentCpu.now(publisher.process(), brokerProcess).since(cpuBefore));
        Map<String, FleetObserver.Arrived> results = observer.results(label);
        long[] latencies = new long[groups.size()];
        int wrong = 0;
        for (int g = 0; g < groups.size(); g++) {
            FleetObserver.Arrived a = results.get(groups.get(g).id);
            if (a == null || a.result().status() != ResultStatus.COMPLETE || a.result().sum().orElse(Long.MIN_VALUE) != expected[g]) {
                wrong++;
                if (wrong <= 5) {
                    out.printf("  WRONG: group %s step %d: %s, the readings sum to %d%n", groups.get(g).id, label,
                            a == null ? "no result within " + RESULT_TIMEOUT : a.result(), expected[g]);
                }
                latencies[g] = a == null ? RESULT_TIMEOUT.toNanos() : a.nanos() - start;
            } else {
                latencies[g] = a.nanos() - start;
            }
        }
        long accepted = acceptedAt.get() == 0 ? RESULT_TIMEOUT.toNanos() : acceptedAt.get() - start;
        return new GroupStep(label, total, accepted, timing.lastAckedNanos() - start, latencies, wrong);
    }

    static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
