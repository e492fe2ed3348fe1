package org.psametering.cli.bench.recovery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        // measures recovery on the complete graph at any --meters (auto would choose sparse above 1 000)
        GroupSettings groupSettings = LocalHeadEndConfig.group(group, settings.params().name(), STEP_SECONDS, DEADLINE_SECONDS, ids)
                .withMaskGraph("complete");
        RecoveryBenchGroup meters = new RecoveryBenchGroup(group, settings.params(), ids, settings.missing());
        try (HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(work.resolve("head-end"), url, TICK_MILLIS, groupSettings)
                .withStorage(StorageSettings.defaults().withH2Sync(settings.h2Sync())), clock);
             ResultWatcher results = ResultWatcher.start(url, group);
             AnnouncementWatcher announcements = new AnnouncementWatcher(url, group);
             ParallelPublisher publisher = new ParallelPublisher(url, settings.connections());
             ParallelPublisher answerPublisher = new ParallelPublisher(url, settings.connections())) {
            out.println("Key setup (once, not measured) ...");
            RecoveryBenchGroup.SetupTimes setup = meters.setUp(headEnd, announcements, publisher);
            RecoveryBenchReport report = new RecoveryBenchReport(settings, out);
            report.setup(setup);
            try (RecoveryResponders responders = new RecoveryResponders(url, meters, answerPublisher)) {
                long label = setup.activeFrom();
                PsaAggregator aggregator = new PsaAggregator(meters.aggregationKey(), meters.context());
                List<CompleteStep> complete = new ArrayList<>();
                report.completeHeader();
                for (int s = 0; s < settings.completeSteps(); s++, label++) {
                    CompleteStep c = completeStep(label, clock, meters, publisher, results, aggregator, responders);
                    complete.add(c);
                    report.completeRow(s + 1, c);
                }
                RecoveryAggregator recoveryAggregator = new RecoveryAggregator(meters.aggregationKey(), meters.keySet());
                List<RecoveredStep> recovered = new ArrayList<>();
                report.recoveredHeader();
                for (int s = 0; s < settings.steps(); s++, label++) {
                    RecoveredStep r = recoveredStep(label, clock, meters, publisher, results, headEnd, responders, recoveryAggregator);
                    recovered.add(r);
                    report.recoveredRow(s + 1, r);
                }
                report.summary(complete, recovered, headEnd);
            }
        }
        return true;
    }

    private CompleteStep completeStep(long label, SteppedClock clock, RecoveryBenchGroup meters, ParallelPublisher publisher,
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
        return new CompleteStep(label, received.arrivedNanos() - timing.lastSentNanos(), aggregateNanos);
    }

    private RecoveredStep recoveredStep(long label, SteppedClock clock, RecoveryBenchGroup meters, ParallelPublisher publisher,
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
        return new RecoveredStep(label, sent.ciphertexts().size(), round.requestArrivedNanos() - deadlinePassed,
                round.lastAnswerAckedNanos() - round.requestArrivedNanos(),
                round.answersComputedNanos() - round.requestArrivedNanos(), received.arrivedNanos() - round.lastAnswerAckedNanos(),
                received.arrivedNanos() - deadlinePassed, RecoveryBenchReport.median(round.answerCpuNanos()),
                RecoveryBenchReport.median(round.answerWallNanos()),
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
}
