package org.psametering.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.psametering.cli.broker.EmbeddedBroker;
import org.psametering.cli.compare.SchemeComparison;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.sim.StepDrops;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.crypto.recovery.RefusalReason;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/** One demo run: broker, head-end and meters up, key setup, T steps checked against the truth, everything down again. */
final class DemoRun {
    static final String GROUP = "demo-feeder";
    private static final Duration KEY_SETUP_TIMEOUT = Duration.ofSeconds(90);

    private final DemoSettings settings;
    private final DemoServing serving;
    private final PrintStream out;
    private final DemoReport report;

    DemoRun(DemoSettings settings, PrintStream out) {
        this(settings, DemoServing.once(0), out);
    }

    DemoRun(DemoSettings settings, DemoServing serving, PrintStream out) {
        this.settings = settings;
        this.serving = serving;
        this.out = out;
        this.report = new DemoReport(out);
    }

    /** Returns true when every step's decrypted aggregate equals the true sum. */
    boolean run() throws IOException, InterruptedException {
        report.header(settings);
        Path work = Files.createTempDirectory("psa-demo-");
        long started = System.nanoTime();
        boolean allOk;
        try {
            allOk = runIn(work);
        } finally {
            TempDirs.deleteQuietly(work);
        }
        report.footer(allOk, Duration.ofNanos(System.nanoTime() - started));
        if (settings.compare()) {
            report.comparisonHeader();
            allOk &= SchemeComparison.printShort(settings.seed(), out);
        }
        return allOk;
    }

    private boolean runIn(Path work) throws InterruptedException {
        double speedup = AcceleratedClock.speedupFor(Duration.ofSeconds(DemoSettings.STEP_SECONDS), settings.realStep());
        // Start just after a step boundary, so the first real step is a whole one.
        Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), DemoSettings.STEP_SECONDS) + 1, DemoSettings.STEP_SECONDS);
        Clock clock = AcceleratedClock.startingAt(origin, speedup);
        Duration tick = Duration.ofMillis(Math.max(10, settings.realStep().toMillis() / 40));
        List<String> members = IntStream.range(0, settings.meters()).mapToObj(i -> FleetSpec.meterId("house-", i)).toList();
        // Half a step of grace before a step is recorded INCOMPLETE: ample for local meters, still visible in the demo.
        GroupSettings group = LocalHeadEndConfig.group(GROUP, settings.params().name(), DemoSettings.STEP_SECONDS,
                DemoSettings.STEP_SECONDS / 2, members);

        try (EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("broker"))) {
            report.brokerUp(broker.url());
            HeadEndConfig config = LocalHeadEndConfig.of(work.resolve("head-end"), broker.url(), (int) tick.toMillis(), group)
                    .withHttp(new HttpSettings(serving.httpPort(), "127.0.0.1"));
            try (HeadEnd headEnd = HeadEnd.start(config, clock);
                 ResultWatcher results = ResultWatcher.start(broker.url(), GROUP)) {
                report.headEndUp(group);
                String page = "http://127.0.0.1:" + headEnd.httpPort() + "/ui/";
                report.pageUp(page, page + "group.html?id=" + GROUP);
                FleetSpec spec = new FleetSpec(settings.meters(), GROUP, broker.url(), settings.seed(), null, clock, tick, "house-");
                StepDrops drops = new StepDrops(settings.dropRate(), settings.seed());
                try (SimulatedFleet fleet = SimulatedFleet.start(spec, drops)) {
                    report.metersUp(settings.meters());
                    KeySetupProgress progress = new KeySetupProgress(headEnd, GROUP, report);
                    OptionalLong firstLabel = progress.await(fleet, KEY_SETUP_TIMEOUT);
                    if (firstLabel.isEmpty()) {
                        report.keySetupFailed(KEY_SETUP_TIMEOUT);
                        return false;
                    }
                    boolean ok = checkSteps(firstLabel.getAsLong(), fleet, results);
                    if (settings.dropRate() > 0) {
                        long answers = fleet.meters().stream().mapToLong(m -> m.stats().recoveryAnswers()).sum();
                        long refused = fleet.meters().stream().mapToLong(m -> m.stats().recoveryRefused(
                                RefusalReason.SELF_LISTED_MISSING.name())).sum();
                        out.printf("%n%d readings were dropped on purpose (--drop-rate %s, --seed %d); meters answered %d"
                                + " recovery requests and, listed as missing, refused %d%n", drops.total(), settings.dropRate(),
                                settings.seed(), answers, refused);
                    }
                    if (serving.keepRunning()) {
                        // everything keeps running, so the page keeps getting new steps until Ctrl-C
                        report.keepsRunning(page);
                        serving.stop().await();
                        report.stopping();
                    }
                    return ok;
                }
            }
        }
    }

    private boolean checkSteps(long firstLabel, SimulatedFleet fleet, ResultWatcher results) throws InterruptedException {
        report.stepsHeader();
        // A step's result is due one step plus its deadline after it starts; allow a generous margin for slow machines.
        Duration wait = settings.realStep().multipliedBy(3).plusSeconds(20);
        boolean allOk = true;
        List<String> members = IntStream.range(0, settings.meters()).mapToObj(i -> FleetSpec.meterId("house-", i)).toList();
        for (int k = 0; k < settings.steps(); k++) {
            long label = firstLabel + k;
            Optional<ResultWatcher.Received> received = results.await(label, !settings.withMissing()
                    ? r -> r.status() == ResultStatus.COMPLETE : DemoRun::isFinal, wait);
            Optional<ResultMessage> result = received.map(ResultWatcher.Received::result);
            StepOutcome outcome;
            if (!settings.withMissing()) {
                OptionalLong truth = fleet.truth().sumIfAll(label, settings.meters());
                outcome = StepOutcome.of(label, DemoSettings.STEP_SECONDS, result, truth, fleet.truth().sum(label));
            } else {
                int reporters = fleet.truth().meters(label);
                outcome = StepOutcome.withRecovery(label, DemoSettings.STEP_SECONDS, result, members,
                        ids -> trueSumOver(fleet, label, ids), fleet.truth().sum(label),
                        reporters >= GroupSettings.DEFAULT_MIN_REPORTING);
            }
            report.step(k + 1, outcome);
            allOk &= outcome.ok();
            if (k == 0 && settings.offline() > 0) {
                // switched off after the first step: from the next step on they miss every step
                for (int i = settings.meters() - settings.offline(); i < settings.meters(); i++) {
                    fleet.stopMeter(i);
                }
                out.printf("      %d meter(s) switched off; the following steps are recovered over the others%n", settings.offline());
            }
        }
        return allOk;
    }

    private static boolean isFinal(ResultMessage r) {
        return r.status() == ResultStatus.COMPLETE || r.status() == ResultStatus.RECOVERED || r.reason().isPresent();
    }

    private static OptionalLong trueSumOver(SimulatedFleet fleet, long label, List<String> ids) {
        long sum = 0;
        for (String id : ids) {
            OptionalLong reading = fleet.truth().reading(id, label);
            if (reading.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += reading.getAsLong();
        }
        return OptionalLong.of(sum);
    }
}
