package org.psametering.cli.bench.recovery;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.psametering.cli.bench.ingest.ParallelPublisher;
import org.psametering.cli.mqtt.MessageCallback;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.recovery.AnsweredRecovery;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryDecision;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.recovery.RecoveryResponder;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.config.GroupSettings;
import org.psametering.protocol.PacketLimits;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;
import org.psametering.cli.trust.Provisioning;
import org.psametering.protocol.Topics;

/**
 * The reporting meters' side of each recovery: one MQTT client receives the head-end's request (as every meter would),
 * then each reporting meter runs what a real meter's answerer runs (the policy, the answer from its pairwise seeds,
 * encoding and MAC) on a pool of this machine's cores, and the answers go back over QoS 1. Not included: the real
 * meter's fsync of the answered request before it answers (its state file), measured by the meter's own tests.
 * In the field every meter computes its one answer on its own CPU, in parallel; here N answers share two cores, so
 * "request -> last answer sent" grows with N and is reported apart from the head-end's part.
 */
final class RecoveryResponders implements AutoCloseable {
    private static final IdentityVerifier VERIFIER = Provisioning.shared().verifier(java.time.Clock.systemUTC());

    /** What the meters did for one request. */
    record Round(long label, long requestArrivedNanos, long answersComputedNanos, long lastAnswerAckedNanos,
                 long[] answerCpuNanos, long[] answerWallNanos, Map<MeterId, RecoveryAnswer> answers, String error) {
    }

    private final RecoveryBenchGroup group;
    private final ParallelPublisher publisher;
    private final MqttClient client;
    private final RecoveryPolicy policy = new RecoveryPolicy(GroupSettings.DEFAULT_MIN_REPORTING);
    private final ExecutorService handler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-recovery-responders");
        t.setDaemon(true);
        return t;
    });
    private final ForkJoinPool cores = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Optional<AnsweredRecovery>> lastAnswered = new ArrayList<>();
    private final Map<Long, Round> rounds = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private volatile long lastEncryptedLabel = Long.MIN_VALUE;

    RecoveryResponders(String brokerUrl, RecoveryBenchGroup group, ParallelPublisher publisher) throws MqttException {
        this.group = group;
        this.publisher = publisher;
        for (int i = 0; i < group.size(); i++) {
            lastAnswered.add(Optional.empty());
        }
        client = new MqttClient(brokerUrl, "psa-bench-recovery-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback((MessageCallback) (topic, message) -> {
            long arrived = System.nanoTime();
            byte[] payload = message.getPayload();
            handler.execute(() -> handle(payload, arrived));
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize((long) PacketLimits.CLIENT_MAX_PACKET_BYTES);
        client.connect(options);
        client.subscribe(Topics.recoveryFilter(group.group()), Topics.QOS);
    }

    /** The meters have encrypted up to this label (the policy never answers for a later one). */
    void encrypted(long label) {
        lastEncryptedLabel = label;
    }

    private void handle(byte[] payload, long arrived) {
        RecoveryRequestMessage message;
        try {
            // checked as a meter checks it: the head-end's signature under the run's CA
            message = RecoveryRequestMessage.fromJson(SignedMessage.parse(payload).open(SignedMessage.Kind.RECOVERY_REQUEST,
                    VERIFIER, ThrowawayPki.HEAD_END_NAME));
        } catch (RuntimeException e) {
            return; // not a request of this run; the head-end publishes nothing else here
        }
        if (!new TreeSet<>(message.missing()).equals(new TreeSet<>(group.missingIds()))) {
            finish(new Round(message.label(), arrived, arrived, arrived, new long[0], new long[0], Map.of(),
                    "the head-end asked with missing " + message.missing() + ", the meters that sent nothing are "
                            + group.missingIds()));
            return;
        }
        RecoveryRequest request = new RecoveryRequest(group.context(), message.label(), new TreeSet<>(group.missing()));
        int[] reporting = IntStream.range(0, group.size()).filter(i -> !group.isMissing(i)).toArray();
        long[] cpu = new long[reporting.length];
        long[] wall = new long[reporting.length];
        byte[][] payloads = new byte[reporting.length][];
        RecoveryAnswer[] answers = new RecoveryAnswer[reporting.length];
        String[] refusal = new String[1];
        cores.submit(() -> IntStream.range(0, reporting.length).parallel().forEach(k -> {
            int i = reporting[k];
            long wall0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            RecoveryDecision decision = policy.decide(request, group.meterId(i), group.keySet(), lastEncryptedLabel,
                    lastAnswered.get(i));
            if (!(decision instanceof RecoveryDecision.Answer ok)) {
                refusal[0] = group.id(i) + " refused: " + decision;
                return;
            }
            RecoveryAnswer answer = RecoveryResponder.answer(ok.permit(), group.seeds(i));
            payloads[k] = RecoveryAnswerMessage.seal(Encodings.encode(answer, group.context().params()), group.messageKey(i));
            cpu[k] = threads.getCurrentThreadCpuTime() - cpu0;
            wall[k] = System.nanoTime() - wall0;
            answers[k] = answer;
            synchronized (lastAnswered) {
                lastAnswered.set(i, Optional.of(ok.permit().record()));
            }
        })).join();
        long computed = System.nanoTime();
        if (refusal[0] != null) {
            finish(new Round(message.label(), arrived, computed, computed, cpu, wall, Map.of(), refusal[0]));
            return;
        }
        ParallelPublisher.Timing timing;
        try {
            timing = publisher.publishAll(reporting.length, k -> new ParallelPublisher.Outgoing(
                    Topics.recoveryAnswer(group.group(), group.context().epoch(), group.id(reporting[k])), payloads[k], false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            finish(new Round(message.label(), arrived, computed, computed, cpu, wall, Map.of(), "publishing answers: " + e));
            return;
        }
        Map<MeterId, RecoveryAnswer> byMeter = new java.util.HashMap<>();
        for (int k = 0; k < reporting.length; k++) {
            byMeter.put(group.meterId(reporting[k]), answers[k]);
        }
        finish(new Round(message.label(), arrived, computed, timing.lastAckedNanos(), cpu, wall, byMeter, null));
    }

    private void finish(Round round) {
        rounds.put(round.label(), round);
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** The meters' round for {@code label}, once their answers are all acknowledged by the broker. */
    Round await(long label, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!rounds.containsKey(label)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no recovery request for label " + label + " reached the meters within "
                            + timeout);
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
            return rounds.get(label);
        }
    }

    @Override
    public void close() {
        handler.shutdownNow();
        cores.shutdownNow();
        try {
            client.disconnect();
            client.close();
        } catch (MqttException e) {
            // benchmark teardown
        }
    }
}
