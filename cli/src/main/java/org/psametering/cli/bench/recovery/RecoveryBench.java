package org.psametering.cli.bench.recovery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.psametering.cli.bench.ingest.AnnouncementWatcher;
import org.psametering.cli.bench.ingest.ParallelPublisher;
import org.psametering.cli.broker.LocalBroker;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.demo.TempDirs;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.time.SteppedClock;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.recovery.RecoveryAggregator;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * The recovery benchmark: head-end in-process on a {@link SteppedClock} (the deadline passes exactly when the benchmark
 * moves the clock, and no recovery window can expire mid-measurement), a real Mosquitto, the meters' messages over a
 * few MQTT connections, results observed on the result topic. Complete steps first, then recovered ones; every sum is
 * checked against the readings and a wrong or missing one fails the run.
 */
final class RecoveryBench {
    private static final int STEP_SECONDS = 900;
    private static final int DEADLINE_SECONDS = STEP_SECONDS / 3;
    private static final int TICK_MILLIS = 10;
    private static final long MAX_BENCH_READING = 5_000; // Wh per 15 minutes: a generous household maximum
    private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(10);

    /** One complete step: from the last ciphertext sent to the COMPLETE result, and the aggregation alone. */
    private record Complete(long label, long lastCtToResultNanos, long aggregateNanos) {
    }

    /** One recovered step. */
    private record Recovered(long label, int reporting, long deadlineToRequestNanos, long metersNanos, long lastAnswerToResultNanos,
                             long deadlineToResultNanos, double answerCpuMedianNanos, double answerWallMedianNanos,
                             long combineNanos) {
        long headEndNanos() {
            return deadlineToRequestNanos + lastAnswerToResultNanos;
        }
    }

    private final RecoverySettings settings;
    private final PrintStream out;

    RecoveryBench(RecoverySettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Returns false (after printing why) when a sum is wrong or missing. */
    boolean run() throws IOException, InterruptedException, org.eclipse.paho.mqttv5.common.MqttException {
        Path work = Files.createTempDirectory("psa-bench-recovery-");
        try (LocalBroker ownBroker = settings.brokerUrl() == null ? MosquittoBroker.start(work.resolve("mosquitto")) : null) {
            String url = ownBroker == null ? settings.brokerUrl() : ownBroker.url();
            return runAgainst(url, ownBroker != null, work);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("WRONG")) {
                out.println();
                out.println("FAILED: " + e.getMessage());
                return false;
            }
            throw e;
        } finally {
            TempDirs.deleteQuietly(work);
        }
    }

    private boolean runAgainst(String url, boolean ownBroker, Path work)
            throws InterruptedException, org.eclipse.paho.mqttv5.common.MqttException {
        String group = "bench-rec-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<String> ids = IntStream.range(0, settings.meters()).mapToObj(i -> FleetSpec.meterId("bm-", i)).toList();
        out.printf("Recovery benchmark: %d meters in one group, %s, %d missing (%s) in each recovered step, broker %s%s,%n"
                        + "head-end in this process (embedded H2, %s, deadline checked every %d ms), meters' messages over %d"
                        + " MQTT connections, QoS 1, %d cores.%n", settings.meters(), settings.params().name(), settings.missing(),
                settings.missingFraction(), url, ownBroker ? " (Mosquitto started for this run)" : "",
                settings.h2Sync() ? "fsync before each ack" : "NO fsync before acks", TICK_MILLIS,
                settings.connections(), Runtime.getRuntime().availableProcessors());
        SteppedClock clock = new SteppedClock(TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS), STEP_SECONDS).plusSeconds(1));
        GroupSettings groupSettings = LocalHeadEndConfig.group(group, settings.params().name(), STEP_SECONDS, DEADLINE_SECONDS, ids);
        RecoveryBenchGroup meters = new RecoveryBenchGroup(group, settings.params(), ids, settings.missing());
        try (HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(work.resolve("head-end"), url, TICK_MILLIS, groupSettings)
                .withStorage(StorageSettings.defaults().withH2Sync(settings.h2Sync())), clock);
             ResultWatcher results = ResultWatcher.start(url, group);
             AnnouncementWatcher announcements = new AnnouncementWatcher(url, group);
             ParallelPublisher publisher = new ParallelPublisher(url, settings.connections());
             ParallelPublisher answerPublisher = new ParallelPublisher(url, settings.connections())) {
            out.println("Key setup (once, not measured) ...");
            RecoveryBenchGroup.SetupTimes setup = meters.setUp(headEnd, announcements, publisher);
            reportSetup(setup);
            try (RecoveryResponders responders = new RecoveryResponders(url, meters, answerPublisher)) {
                long label = setup.activeFrom();
                PsaAggregator aggregator = new PsaAggregator(meters.aggregationKey(), meters.context());
                List<Complete> complete = new ArrayList<>();
                out.printf("%n%-9s %10s %24s %20s%n", "complete", "meters", "last ct -> COMPLETE", "aggregate (alone)");
                for (int s = 0; s < settings.completeSteps(); s++, label++) {
                    Complete c = completeStep(label, clock, meters, publisher, results, aggregator, responders);
                    complete.add(c);
                    out.printf("%-9d %10d %21.1f ms %17.3f ms%n", s + 1, settings.meters(), c.lastCtToResultNanos() / 1e6,
                            c.aggregateNanos() / 1e6);
                }
                RecoveryAggregator recoveryAggregator = new RecoveryAggregator(meters.aggregationKey(), meters.keySet());
                List<Recovered> recovered = new ArrayList<>();
                out.printf("%n%-9s %9s %8s %18s %16s %18s %20s %14s %12s%n", "recovered", "reporting", "missing",
                        "deadline -> request", "meters answer", "last ans -> RECOV", "deadline -> RECOVERED", "answer (cpu)",
                        "combine");
                for (int s = 0; s < settings.steps(); s++, label++) {
                    Recovered r = recoveredStep(label, clock, meters, publisher, results, headEnd, responders, recoveryAggregator);
                    recovered.add(r);
                    out.printf("%-9d %9d %8d %15.1f ms %13.1f ms %15.1f ms %17.1f ms %11.3f ms %9.2f ms%n", s + 1, r.reporting(),
                            settings.missing(), r.deadlineToRequestNanos() / 1e6, r.metersNanos() / 1e6,
                            r.lastAnswerToResultNanos() / 1e6, r.deadlineToResultNanos() / 1e6, r.answerCpuMedianNanos() / 1e6,
                            r.combineNanos() / 1e6);
                }
                reportSummary(complete, recovered, headEnd);
            }
        }
        return true;
    }

    private Complete completeStep(long label, SteppedClock clock, RecoveryBenchGroup meters, ParallelPublisher publisher,
                                  ResultWatcher results, PsaAggregator aggregator, RecoveryResponders responders)
            throws InterruptedException {
        clock.set(TimeSteps.start(label + 1, STEP_SECONDS).plusSeconds(1)); // the step just ended for everyone
        Sent sent = encrypt(label, meters, i -> true);
        responders.encrypted(label);
        ParallelPublisher.Timing timing = publish(publisher, meters, sent);
        ResultWatcher.Received received = results.await(label, r -> r.status() == ResultStatus.COMPLETE || r.reason().isPresent(),
                RESULT_TIMEOUT).orElseThrow(() -> new IllegalStateException("WRONG: no result for complete step " + label
                + " within " + RESULT_TIMEOUT));
        ResultMessage result = received.result();
        if (result.status() != ResultStatus.COMPLETE || result.sum().orElse(Long.MIN_VALUE) != sent.expected()) {
            throw new IllegalStateException("WRONG: complete step " + label + " gave " + result + ", the readings sum to "
                    + sent.expected());
        }
        long start = System.nanoTime();
        long sum = aggregator.aggregate(label, List.of(sent.ciphertexts().values().toArray(Ciphertext[]::new)));
        long aggregateNanos = System.nanoTime() - start;
        if (sum != sent.expected()) {
            throw new IllegalStateException("WRONG: aggregating step " + label + " here gave " + sum + ", expected " + sent.expected());
        }
        return new Complete(label, received.arrivedNanos() - timing.lastSentNanos(), aggregateNanos);
    }

    private Recovered recoveredStep(long label, SteppedClock clock, RecoveryBenchGroup meters, ParallelPublisher publisher,
                                    ResultWatcher results, HeadEnd headEnd, RecoveryResponders responders,
                                    RecoveryAggregator recoveryAggregator) throws InterruptedException {
        clock.set(TimeSteps.start(label + 1, STEP_SECONDS).plusSeconds(1));
        Sent sent = encrypt(label, meters, i -> !meters.isMissing(i));
        responders.encrypted(label);
        long acceptedBefore = headEnd.counters().ciphertextsAccepted();
        publish(publisher, meters, sent);
        long until = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        while (headEnd.counters().ciphertextsAccepted() < acceptedBefore + sent.ciphertexts().size()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the head-end did not accept the " + sent.ciphertexts().size()
                        + " ciphertexts of step " + label + "; rejections: " + headEnd.rejections());
            }
            Thread.sleep(1);
        }
        long deadlinePassed = System.nanoTime();
        clock.set(TimeSteps.start(label + 1, STEP_SECONDS).plusSeconds(DEADLINE_SECONDS + 1));
        RecoveryResponders.Round round = responders.await(label, RESULT_TIMEOUT);
        if (round.error() != null) {
            throw new IllegalStateException("WRONG: recovery of step " + label + ": " + round.error());
        }
        ResultWatcher.Received received = results.await(label, r -> r.status() == ResultStatus.RECOVERED || r.reason().isPresent(),
                RESULT_TIMEOUT).orElseThrow(() -> new IllegalStateException("WRONG: no RECOVERED result for step " + label
                + " within " + RESULT_TIMEOUT + "; head-end rejections: " + headEnd.rejections()));
        ResultMessage result = received.result();
        if (result.status() != ResultStatus.RECOVERED || result.sum().orElse(Long.MIN_VALUE) != sent.expected()
                || !new TreeSet<>(result.missing()).equals(new TreeSet<>(meters.missingIds()))) {
            throw new IllegalStateException("WRONG: step " + label + " with " + meters.missingIds().size() + " missing gave "
                    + result.status() + " sum " + result.sum() + " missing " + result.missing().size()
                    + ", the reporting meters' readings sum to " + sent.expected());
        }
        RecoveryRequest request = new RecoveryRequest(meters.context(), label, new TreeSet<>(meters.missing()));
        long start = System.nanoTime();
        long sum = recoveryAggregator.recover(request, meters.missingBlindedKeys(), sent.ciphertexts(), round.answers());
        long combineNanos = System.nanoTime() - start;
        if (sum != sent.expected()) {
            throw new IllegalStateException("WRONG: combining step " + label + " here gave " + sum + ", expected " + sent.expected());
        }
        return new Recovered(label, sent.ciphertexts().size(), round.requestArrivedNanos() - deadlinePassed,
                round.lastAnswerAckedNanos() - round.requestArrivedNanos(), received.arrivedNanos() - round.lastAnswerAckedNanos(),
                received.arrivedNanos() - deadlinePassed, median(round.answerCpuNanos()), median(round.answerWallNanos()),
                combineNanos);
    }

    /** The step's ciphertexts by meter, their payloads and the sum of the readings in them. */
    private record Sent(Map<MeterId, Ciphertext> ciphertexts, List<Integer> senders, byte[][] payloads, long expected) {
    }

    private Sent encrypt(long label, RecoveryBenchGroup meters, java.util.function.IntPredicate sends) {
        long maxReading = Math.min(MAX_BENCH_READING, settings.params().maxReading(meters.size()));
        SplittableRandom readings = new SplittableRandom(settings.seed() * 1_000_003 + label);
        Map<MeterId, Ciphertext> cts = new HashMap<>();
        List<Integer> senders = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        long expected = 0;
        for (int i = 0; i < meters.size(); i++) {
            long reading = readings.nextLong(maxReading + 1); // drawn for every meter: the same reading whether it sends
            if (!sends.test(i)) {
                continue;
            }
            expected += reading;
            Ciphertext ct = meters.encryptor(i).encrypt(label, reading);
            cts.put(meters.meterId(i), ct);
            senders.add(i);
            payloads.add(CiphertextMessage.seal(Encodings.encode(ct, settings.params()), meters.messageKey(i)));
        }
        return new Sent(cts, senders, payloads.toArray(byte[][]::new), expected);
    }

    private static ParallelPublisher.Timing publish(ParallelPublisher publisher, RecoveryBenchGroup meters, Sent sent)
            throws InterruptedException {
        long epoch = meters.context().epoch();
        return publisher.publishAll(sent.senders().size(), k -> new ParallelPublisher.Outgoing(
                Topics.ciphertext(meters.group(), epoch, meters.id(sent.senders().get(k))), sent.payloads()[k], false));
    }

    private void reportSetup(RecoveryBenchGroup.SetupTimes t) {
        out.printf("  generated %d PSA keys and X25519 key pairs: %.1f s%n", settings.meters(), t.keyGeneration().toMillis() / 1e3);
        out.printf("  public keys published, head-end sent the key set: %.1f s%n", t.publicKeys().toMillis() / 1e3);
        out.printf("  blinded keys (shortcut) sent, head-end combined them into K and went ACTIVE: %.1f s%n",
                t.blindedKeys().toMillis() / 1e3);
        out.printf("  SHORTCUT: each reporting meter's blinded key carries its real masks with the %d missing meters (X25519,"
                        + " HKDF,%n  expansion: the very seeds its answers use) but none with the other reporting meters (they"
                        + " cancel in K and K');%n  the missing meters' shares sum to the opposite. Everything after the key"
                        + " setup runs as in the field.%n", settings.missing());
    }

    private void reportSummary(List<Complete> complete, List<Recovered> recovered, HeadEnd headEnd) {
        List<Complete> c = complete.size() > 1 ? complete.subList(1, complete.size()) : complete;
        List<Recovered> r = recovered.size() > 1 ? recovered.subList(1, recovered.size()) : recovered;
        double completeHeadEnd = median(c.stream().mapToLong(Complete::lastCtToResultNanos).toArray());
        double aggregate = median(c.stream().mapToLong(Complete::aggregateNanos).toArray());
        double total = median(r.stream().mapToLong(Recovered::deadlineToResultNanos).toArray());
        double toRequest = median(r.stream().mapToLong(Recovered::deadlineToRequestNanos).toArray());
        double metersPart = median(r.stream().mapToLong(Recovered::metersNanos).toArray());
        double afterAnswers = median(r.stream().mapToLong(Recovered::lastAnswerToResultNanos).toArray());
        double headEndPart = median(r.stream().mapToLong(Recovered::headEndNanos).toArray());
        double answerCpu = median(r.stream().mapToDouble(Recovered::answerCpuMedianNanos).toArray());
        double answerWall = median(r.stream().mapToDouble(Recovered::answerWallMedianNanos).toArray());
        double combine = median(r.stream().mapToLong(Recovered::combineNanos).toArray());
        out.printf("%nMedians (%s; every sum checked exact):%n", recovered.size() > 1 || complete.size() > 1
                ? "the first step of each kind warms up the JIT and is left out" : "single steps");
        out.printf("  deadline -> stored RECOVERED aggregate:   %9.1f ms  (%d meters, %d missing)%n", total / 1e6,
                settings.meters(), settings.missing());
        out.printf("    deadline -> request at the meters:      %9.1f ms  (head-end: notices the deadline, stores RECOVERING,"
                + " publishes)%n", toRequest / 1e6);
        out.printf("    request -> last answer acked by broker: %9.1f ms  (%d answers computed here on %d cores; in the field"
                + " each meter%n%47s computes its own in parallel)%n", metersPart / 1e6, settings.meters() - settings.missing(),
                Runtime.getRuntime().availableProcessors(), "");
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
