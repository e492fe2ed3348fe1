package org.psametering.cli.bench.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.psametering.cli.broker.LocalBroker;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.headend.config.StorageSettings;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.time.SteppedClock;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * The ingest benchmark: head-end in-process on a {@link SteppedClock} (so no deadline can fire mid-measurement), the
 * meters' messages published over a few connections, results observed on the result topic like any client would.
 */
final class IngestBench {
    private static final int STEP_SECONDS = 900;
    private static final long MAX_BENCH_READING = 5_000; // Wh per 15 minutes: a generous household maximum
    private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(5);

    private final IngestSettings settings;
    private final PrintStream out;
    /** CPU used by each part during each step of the current run, from the first publish to the stored aggregate. */
    private final List<ComponentCpu> stepCpu = new ArrayList<>();
    /** This JVM's thread CPU by thread kind, summed over the counted steps (steps 2..T). */
    private Map<String, Long> threadCpuBefore = new HashMap<>();
    private Map<String, Long> threadCpuAfter = new HashMap<>();

    IngestBench(IngestSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    boolean run() throws IOException, InterruptedException, org.eclipse.paho.mqttv5.common.MqttException {
        Path work = Files.createTempDirectory("psa-bench-ingest-");
        try {
            if (!settings.tls()) {
                try (LocalBroker ownBroker = settings.brokerUrl() == null ? MosquittoBroker.start(work.resolve("mosquitto")) : null) {
                    String url = ownBroker == null ? settings.brokerUrl() : ownBroker.url();
                    return runAgainst(url, ownBroker instanceof MosquittoBroker m ? m.processHandle() : null, ownBroker != null, work,
                            null).exact();
                }
            }
            // --tls: the same benchmark twice in this process, plain TCP first, then TLS, each with its own Mosquitto
            out.println("=== Run 1 of 2: plain TCP ===");
            Summary plain;
            try (LocalBroker broker = MosquittoBroker.start(work.resolve("mosquitto-tcp"))) {
                plain = runAgainst(broker.url(), ((MosquittoBroker) broker).processHandle(), true, work.resolve("tcp"), null);
            }
            out.println();
            out.println("=== Run 2 of 2: TLS 1.3, client certificates (Ed25519), as config/mosquitto/tls.conf ===");
            BenchTls tls = new BenchTls(work.resolve("pki"));
            Summary secured;
            try (MosquittoBroker broker = MosquittoBroker.startTls(work.resolve("mosquitto-tls"), tls.broker())) {
                secured = runAgainst(broker.url(), broker.processHandle(), true, work.resolve("tls"), tls);
            }
            out.printf("%n%-34s %22s %22s%n", "", "plain TCP", "TLS");
            out.printf("%-34s %22s %22s%n", "ciphertexts/s accepted (median)", String.format("%,.0f", plain.rate()),
                    String.format("%,.0f", secured.rate()));
            out.printf("%-34s %19.1f ms %19.1f ms%n", "last ct -> aggregate (median)", plain.delayMillis(), secured.delayMillis());
            out.printf("TLS / plain rate: %.2f (target >= 0.5)%n", secured.rate() / plain.rate());
            return plain.exact() && secured.exact();
        } finally {
            deleteQuietly(work);
        }
    }

    /** One run's outcome: all aggregates exact, median accepted rate and median result delay over the counted steps. */
    record Summary(boolean exact, double rate, double delayMillis) {
    }

    /** With {@code tls} (null for plain TCP) on every connection of the head-end, the load generator and the watchers. */
    private Summary runAgainst(String url, ProcessHandle brokerProcess, boolean ownBroker, Path work, BenchTls tls)
            throws IOException, InterruptedException, org.eclipse.paho.mqttv5.common.MqttException {
        javax.net.SocketFactory clientTls = tls == null ? null : tls.clients();
        // A fresh group id per run: an external broker may still hold retained messages of an earlier run.
        String group = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<String> ids = IntStream.range(0, settings.meters()).mapToObj(i -> FleetSpec.meterId("bm-", i)).toList();
        out.printf("Ingest benchmark: %d meters in one group, %s, broker %s%s, head-end in this process (embedded H2, %s),%n"
                        + "meters' messages spread over %d MQTT connections, QoS 1.%n", settings.meters(), settings.params().name(), url,
                ownBroker ? " (Mosquitto started for this run)" : "",
                settings.h2Sync() ? "each batch fsynced before its ack" : "NO fsync: batches only written to the OS before their ack",
                settings.connections());
        out.printf("Load generator: %s; load average %.2f at start.%n", settings.loadProcess()
                ? "a separate JVM (--load-process), messages sealed here before each step and handed over in a file"
                : "publishing clients in this JVM", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        stepCpu.clear();
        threadCpuBefore = new HashMap<>();
        threadCpuAfter = new HashMap<>();
        SteppedClock clock = new SteppedClock(TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS), STEP_SECONDS).plusSeconds(1));
        // the complete graph whatever the size (auto would choose sparse above 1 000): the dealer's blinded keys need no key set
        GroupSettings groupSettings = LocalHeadEndConfig.group(group, settings.params().name(), STEP_SECONDS, STEP_SECONDS / 3, ids)
                .withMaskGraph("complete");
        BenchGroup meters = new BenchGroup(group, settings.params(), ids);
        Summary summary;
        try (TcpRelay relay = settings.burst() ? new TcpRelay(java.net.URI.create(url).getPort()) : null;
             HeadEnd headEnd = HeadEnd.start(headEndConfig(work, relay == null ? url : relay.url(), groupSettings, tls), clock);
             ResultWatcher results = ResultWatcher.start(url, group, clientTls);
             AnnouncementWatcher announcements = new AnnouncementWatcher(url, group, clientTls);
             LoadGenerator publisher = settings.loadProcess()
                     ? new ProcessLoadGenerator(url, settings.connections(), work.resolve("load-generator"))
                     : new ParallelPublisher(url, settings.connections(), clientTls)) {
            if (relay != null) {
                out.println("Burst mode: the head-end's link is held while each step is published and released once the broker holds"
                        + " all of them;\n'accepted in' and 'last ct -> aggregate' count from that release.");
            }
            out.println("Key setup (once, not measured as ingest) ...");
            BenchGroup.SetupTimes setup = meters.setUp(headEnd, announcements, publisher);
            reportSetup(setup);
            List<StepMeasurement> measured = new ArrayList<>();
            out.printf("%n%-6s %12s %18s %16s %22s  %s%n", "step", "ciphertexts", "broker acked in", "accepted in",
                    "last ct -> aggregate", "aggregate");
            for (int s = 0; s < settings.steps(); s++) {
                StepMeasurement m = measureStep(setup.activeFrom() + s, clock, meters, publisher, results, headEnd, relay, brokerProcess);
                measured.add(m);
                out.printf("%-6d %12d %15.1f ms %13.1f ms %19.1f ms  %s%n", s + 1, m.ciphertexts(), m.publishedNanos() / 1e6,
                        m.acceptedNanos() / 1e6, m.resultDelayNanos() / 1e6, m.exact() ? "exact" : "WRONG");
            }
            summary = reportSummary(measured, headEnd, brokerProcess != null);
        }
        if (!ownBroker) {
            // after the head-end has gone, so it does not take the clearing messages for changed keys
            try (ParallelPublisher publisher = new ParallelPublisher(url, 1)) {
                clearRetained(publisher, group, meters);
            }
        }
        return summary;
    }

    private HeadEndConfig headEndConfig(Path work, String url, GroupSettings group, BenchTls tls) {
        HeadEndConfig config = LocalHeadEndConfig.of(work.resolve("head-end"), tls == null ? url : url.replace("tcp://", "ssl://"), 50,
                group).withStorage(StorageSettings.defaults().withH2Sync(settings.h2Sync()));
        return tls == null ? config : config.withMqtt(config.mqtt().withTls(tls.headEnd()));
    }

    private StepMeasurement measureStep(long label, SteppedClock clock, BenchGroup group, LoadGenerator publisher,
                                        ResultWatcher results, HeadEnd headEnd, TcpRelay relay, ProcessHandle brokerProcess)
            throws InterruptedException {
        // The step has just ended for everyone: the moment real meters would all publish.
        clock.set(TimeSteps.start(label + 1, STEP_SECONDS).plusSeconds(1));
        List<BenchMeter> meters = group.meters();
        long maxReading = Math.min(MAX_BENCH_READING, settings.params().maxReading(meters.size()));
        SplittableRandom readings = new SplittableRandom(settings.seed() * 1_000_003 + label);
        byte[][] payloads = new byte[meters.size()][];
        String[] topics = new String[meters.size()];
        long expected = 0;
        for (int i = 0; i < meters.size(); i++) {
            BenchMeter m = meters.get(i);
            long reading = readings.nextLong(maxReading + 1);
            expected += reading;
            Ciphertext ct = m.encryptor.encrypt(label, reading);
            payloads[i] = CiphertextMessage.seal(Encodings.encode(ct, settings.params()), m.messageKey);
            topics[i] = Topics.ciphertext(group.context().groupId(), group.context().epoch(), m.id);
        }
        long acceptedBefore = headEnd.counters().ciphertextsAccepted();
        if (relay != null) {
            relay.hold();
        }
        Map<String, Long> threadsBefore = ThreadCpu.snapshot();
        ComponentCpu cpuBefore = ComponentCpu.now(publisher.process(), brokerProcess);
        AcceptanceWatch watch = AcceptanceWatch.start(headEnd, acceptedBefore + meters.size());
        ParallelPublisher.Timing timing = publisher.publishAll(meters.size(), i -> new ParallelPublisher.Outgoing(topics[i], payloads[i], false));
        long publishNanos = timing.lastAckedNanos() - timing.firstSentNanos();
        if (relay != null) {
            // everything waits at the broker now: measure from the release
            long releasedAt = System.nanoTime();
            relay.release();
            timing = new ParallelPublisher.Timing(releasedAt, releasedAt, timing.lastAckedNanos());
        }
        ResultWatcher.Received received = results.await(label, r -> r.status() == ResultStatus.COMPLETE, RESULT_TIMEOUT)
                .filter(r -> r.result().status() == ResultStatus.COMPLETE)
                .orElseThrow(() -> new IllegalStateException("no complete aggregate for label " + label + " within " + RESULT_TIMEOUT
                        + "; head-end rejections: " + headEnd.rejections()));
        long acceptedAt = watch.await();
        stepCpu.add(ComponentCpu.now(publisher.process(), brokerProcess).since(cpuBefore));
        if (stepCpu.size() > 1) { // step 1 warms up: not counted, as in the medians
            threadCpuBefore = ThreadCpu.add(threadCpuBefore, threadsBefore);
            threadCpuAfter = ThreadCpu.add(threadCpuAfter, ThreadCpu.snapshot());
        }
        ResultMessage result = received.result();
        return new StepMeasurement(label, meters.size(), acceptedAt - timing.firstSentNanos(),
                received.arrivedNanos() - timing.lastSentNanos(), publishNanos,
                result.sum().orElseThrow() == expected);
    }

    private void reportSetup(BenchGroup.SetupTimes t) {
        out.printf("  generated %d PSA keys and X25519 key pairs: %.1f s%n", settings.meters(), t.keyGeneration().toMillis() / 1e3);
        out.printf("  public keys published, head-end sent the key set: %.1f s%n", t.publicKeys().toMillis() / 1e3);
        out.printf("  blinded keys sent, head-end combined them into K and went ACTIVE: %.1f s%n", t.blindedKeys().toMillis() / 1e3);
        out.printf("  blinded-key upload: %,.0f keys/s, %.1f MB/s (%d keys of %,d bytes; includes sealing them in this process)%n",
                t.blindedKeysPerSecond(settings.meters()), t.blindedKeyBytes() / 1e6 / (t.blindedKeys().toNanos() / 1e9), settings.meters(),
                t.blindedKeyBytes() / settings.meters());
        double one = t.oneRealBlinding().toMillis() / 1e3;
        out.printf("  NOTE: the benchmark's blinded keys carry no pairwise masks (the masks cancel in K anyway). One real meter's%n"
                + "  pairwise blinding (%d X25519 agreements and mask expansions) was measured: %.2f s, done once per epoch on%n"
                + "  each meter's own CPU; doing it for all %d meters in this one process would take about %.0f s.%n",
                settings.meters() - 1, one, settings.meters(), one * settings.meters());
    }

    private Summary reportSummary(List<StepMeasurement> measured, HeadEnd headEnd, boolean brokerKnown) {
        List<StepMeasurement> counted = measured.size() > 1 ? measured.subList(1, measured.size()) : measured;
        double[] rates = counted.stream().mapToDouble(StepMeasurement::ciphertextsPerSecond).toArray();
        double[] delays = counted.stream().mapToDouble(m -> m.resultDelayNanos() / 1e6).toArray();
        out.printf("%nMedian over %s: %,.0f ciphertexts/s accepted by the head-end (stored, acknowledged);%n"
                        + "%.1f ms from the last ciphertext leaving the meters to the stored aggregate.%n",
                measured.size() > 1 ? "steps 2.." + measured.size() + " (step 1 warms up the JIT)" : "the single step",
                median(rates), median(delays));
        double[] lag = counted.stream().mapToDouble(m -> (m.acceptedNanos() - m.publishedNanos()) / 1e6).toArray();
        if (!settings.burst()) {
            out.printf("The head-end finished accepting %.1f ms after the broker acknowledged the meters' last publish (median);%n"
                + "when that is near zero the head-end kept pace and the rate above is bounded by the load generator (the%n"
                    + "publishing clients and the broker share this machine's cores with it).%n", median(lag));
        }
        ComponentCpu cpu = stepCpu.subList(stepCpu.size() - counted.size(), stepCpu.size()).stream()
                .reduce(new ComponentCpu(0, 0, 0, 0, 0), ComponentCpu::plus);
        out.printf("Over the counted steps, %s;%n%d cores, load average %.2f at the end.%n", cpu.describe(settings.loadProcess(), brokerKnown),
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf("Benchmark JVM's threads over the counted steps (the rest of its CPU is GC and JIT): %s%n",
                ThreadCpu.top(threadCpuBefore, threadCpuAfter, 6));
        out.printf("Head-end rejections during the run: %s%n", headEnd.rejections().values().stream().mapToLong(Long::longValue).sum());
        return new Summary(measured.stream().allMatch(StepMeasurement::exact), median(rates), median(delays));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Leaves an external broker as it was: the retained public keys of this run are cleared (announce/keyset stay: the head-end's). */
    private static void clearRetained(LoadGenerator publisher, String group, BenchGroup meters) throws InterruptedException {
        long epoch = meters.context().epoch();
        publisher.publishAll(meters.meters().size(), i -> new ParallelPublisher.Outgoing(
                Topics.publicKey(group, epoch, meters.meters().get(i).id), new byte[0], true));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the OS's temp cleaner
        }
    }

    /** Notes the moment the head-end's accepted-ciphertext counter reaches a target, polling on its own thread. */
    private static final class AcceptanceWatch {
        private final Thread thread;
        private final AtomicLong reachedAt = new AtomicLong();

        private AcceptanceWatch(HeadEnd headEnd, long target) {
            thread = Thread.ofPlatform().daemon().name("bench-acceptance-watch").unstarted(() -> {
                while (headEnd.counters().ciphertextsAccepted() < target) {
                    LockSupport.parkNanos(200_000);
                }
                reachedAt.set(System.nanoTime());
            });
        }

        static AcceptanceWatch start(HeadEnd headEnd, long target) {
            AcceptanceWatch watch = new AcceptanceWatch(headEnd, target);
            watch.thread.start();
            return watch;
        }

        long await() throws InterruptedException {
            thread.join(RESULT_TIMEOUT.toMillis());
            if (reachedAt.get() == 0) {
                throw new IllegalStateException("the head-end did not count every ciphertext as accepted");
            }
            return reachedAt.get();
        }
    }
}
