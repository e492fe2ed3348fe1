package org.psametering.cli.soak;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RefusedCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.ResultStore;
import org.psametering.meter.MeterHandle;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.TimeSteps;

/**
 * One soak run: the system up, key setup, a fault phase of random faults, a drain without faults until every meter has
 * delivered its outbox, then the accounting against the truth, read from the head-end's own database once it is stopped.
 */
public final class SoakRun {
    private static final Duration KEY_SETUP_TIMEOUT = Duration.ofSeconds(90);
    /** Meters reconnect with exponential back-off (up to 2 min after repeated failures), hence the generous bound. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofMillis(100);

    private final SoakSettings settings;
    private final PrintStream out;
    private final long started = System.nanoTime();

    public SoakRun(SoakSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the soak with its files under {@code dir} (broker, head-end database, meters' state, logs stay there). */
    public SoakReport run(Path dir) throws InterruptedException {
        List<String> harnessErrors = new ArrayList<>();
        SoakSystem system = SoakSystem.start(dir, settings);
        long firstLabel;
        Map<FaultKind, Long> faults;
        List<Long> kills;
        long crashImages;
        long unsent;
        List<String> bogusEpochs;
        List<ResultMessage> published = new ArrayList<>();
        Map<String, Long> rejections = new LinkedHashMap<>();
        try {
            progress("broker " + system.broker.url() + ", head-end and " + settings.meters() + " meters up; key setup ...");
            OptionalLong first = system.fleet.activations().awaitActive(settings.meters(), 0, KEY_SETUP_TIMEOUT);
            if (first.isEmpty()) {
                throw new IllegalStateException("key setup did not finish within " + KEY_SETUP_TIMEOUT.toSeconds() + " s; see the logs in " + dir);
            }
            firstLabel = first.getAsLong();
            progress("key setup done, first label " + firstLabel + "; injecting faults for " + settings.faultPhase().toSeconds() + " s");
            try (FaultInjector injector = new FaultInjector(system, system.hostile, new Random(settings.seed()))) {
                faultPhase(injector, system);
                progress("fault phase over (" + injector.injected() + "); repairing and draining");
                injector.healAll(Duration.ofMinutes(2));
                faults = injector.injected();
                kills = injector.brokerKillNanos();
                crashImages = injector.crashImages();
                harnessErrors.addAll(injector.errors());
            }
            unsent = drain(system, harnessErrors);
            system.stopMeters();
            bogusEpochs = BogusEpochs.meters(system, harnessErrors);
            awaitFinalResults(system, firstLabel, harnessErrors);
            for (long label : new TreeSet<>(system.results.all().keySet())) {
                published.addAll(system.results.history(label));
            }
            system.headEnd.rejections().forEach((reason, n) -> rejections.put(reason.name(), n));
        } finally {
            system.close();
        }
        progress("system stopped; accounting");
        return report(system, firstLabel, faults, kills, crashImages, unsent, bogusEpochs, published, rejections, harnessErrors, dir);
    }

    private void faultPhase(FaultInjector injector, SoakSystem system) throws InterruptedException {
        long end = System.nanoTime() + settings.faultPhase().toNanos();
        long nextProgress = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            Duration gap = injector.injectNext();
            long left = end - System.nanoTime();
            Thread.sleep(Math.max(0, Math.min(gap.toMillis(), left / 1_000_000)));
            if (System.nanoTime() > nextProgress) {
                nextProgress += Duration.ofSeconds(30).toNanos();
                progress("faults so far " + injector.injected() + ", results seen for " + system.results.all().size() + " steps");
            }
        }
    }

    /** Waits until every meter is connected with an empty outbox; returns what is still queued (0 unless it timed out). */
    private long drain(SoakSystem system, List<String> harnessErrors) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (true) {
            List<MeterHandle> meters = system.fleet.meters();
            boolean drained = meters.size() == settings.meters() && system.headEnd.mqttConnected()
                    && meters.stream().allMatch(m -> m.isConnected() && m.stats().outboxSize() == 0);
            if (drained) {
                progress("drained: every meter connected, every outbox empty");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                List<String> state = meters.stream().map(m -> m.meterId() + " connected=" + m.isConnected() + " outbox="
                        + m.stats().outboxSize()).toList();
                harnessErrors.add("not drained within " + DRAIN_TIMEOUT.toSeconds() + " s: head-end connected="
                        + system.headEnd.mqttConnected() + ", " + state);
                return meters.stream().mapToLong(m -> m.stats().outboxSize()).sum();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Waits until the head-end recorded a result for every step the meters reported, then one more step for late ones. */
    private void awaitFinalResults(SoakSystem system, long firstLabel, List<String> harnessErrors) throws InterruptedException {
        long last = system.fleet.truth().labels().stream().mapToLong(Long::longValue).max().orElse(firstLabel);
        long wanted = last - firstLabel + 1;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            List<StepResult> recorded = system.headEnd.results(SoakSystem.GROUP, TimeSteps.start(firstLabel, SoakSettings.STEP_SECONDS),
                    TimeSteps.start(last + 1, SoakSettings.STEP_SECONDS));
            if (recorded.stream().map(StepResult::label).distinct().count() >= wanted) {
                break;
            }
            if (System.nanoTime() > deadline) {
                harnessErrors.add("the head-end recorded results for " + recorded.size() + " of " + wanted + " steps within 2 min");
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        // a step recorded INCOMPLETE at its deadline completes when its last ciphertext arrives: let those in flight land
        Thread.sleep(settings.realStep().toMillis());
    }

    private SoakReport report(SoakSystem system, long firstLabel, Map<FaultKind, Long> faults, List<Long> kills, long crashImages,
                              long unsent, List<String> bogusEpochs, List<ResultMessage> published, Map<String, Long> rejections, List<String> harnessErrors,
                              Path dir) {
        List<StepResult> stored = new ArrayList<>();
        List<PendingCiphertext> pending = new ArrayList<>();
        List<RefusedCiphertext> refusals = new ArrayList<>();
        TreeSet<Long> epochs = new TreeSet<>();
        epochs.add(0L);
        system.fleet.acknowledged().all().forEach(a -> epochs.add(a.epoch()));
        published.forEach(r -> epochs.add(r.epoch()));
        try (Database db = Database.open(StorageSettings.defaults(), system.headEndDataDir())) {
            ResultStore results = new ResultStore(db);
            CiphertextStore ciphertexts = new CiphertextStore(db);
            for (long epoch : epochs) {
                stored.addAll(results.ofEpoch(SoakSystem.GROUP, epoch, 0));
                pending.addAll(ciphertexts.load(SoakSystem.GROUP, epoch));
                refusals.addAll(ciphertexts.refusals().load(SoakSystem.GROUP, epoch));
            }
        }
        SoakAccounting.HeadEndRecords records = new SoakAccounting.HeadEndRecords(pending, refusals,
                rejections.getOrDefault(RejectReason.AFTER_RECOVERY.name(), 0L));
        SoakAccounting.Figures f = new SoakAccounting(system.group.members(), system.fleet.truth())
                .account(firstLabel, stored, published, records, system.fleet.acknowledged(), kills);
        HostileClient hostile = system.hostile;
        Map<String, Long> byTopic = new LinkedHashMap<>();
        hostile.sentByTopic().forEach((k, v) -> byTopic.put(k.name(), v));
        long encrypted = system.fleet.truth().labels().stream().mapToLong(l -> system.fleet.truth().meters(l)).sum();
        return new SoakReport(settings.seed(), settings.meters(), settings.realStep().toMillis() / 1000.0,
                settings.faultPhase().toMillis() / 60_000.0, (System.nanoTime() - started) / 60e9,
                f.steps(), f.exact(), f.recovered(), f.incomplete(), f.incompleteAllAcked(), f.noResult(), f.wrong(),
                f.summed(), f.refusedAfterRecovery(), f.heldInIncomplete(), f.lost(), f.lostNearBrokerKill(),
                encrypted, system.fleet.acknowledged().count(), system.fleet.truth().reusedLabels(), unsent, bogusEpochs.size(),
                BogusEpochs.stillReporting(bogusEpochs, system.fleet.truth()),
                faults, crashImages, hostile.sent(), hostile.sentByKind(), byTopic, hostile.notSent(), rejections,
                f.wrongResults(), f.lostCiphertexts(), harnessErrors, dir.toString());
    }

    private void progress(String line) {
        out.printf("[%7.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
    }
}
