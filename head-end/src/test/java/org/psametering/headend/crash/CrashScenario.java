package org.psametering.headend.crash;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * One head-end life through every durable flow, with at most one crash anywhere in it (see {@link CrashPoints}):
 * key setup, activation, the drop of the blinded keys after each activation (run when the core is otherwise idle, as
 * by its own thread; a crash loses what was queued), complete steps, an INCOMPLETE step later completed, a re-key that
 * ends the old epoch, and the purge and retirement of the old epoch. After a crash the core is dropped without cleanup
 * and a new one starts over the same database and broker session. {@link #violations()} checks the invariants at the end.
 *
 * <p>{@link #recoverable} runs the same life on the recoverable parameter set (a minimum of reporting meters no step
 * reaches, so the results are the same): its epochs keep their blinded keys while they collect, and the old epoch's
 * are dropped at its retirement.
 */
final class CrashScenario implements CrashSweep.Scenario {
    static final String GROUP = "g";
    static final int STEP = 900;
    static final List<String> FLOWS = List.of("key setup", "activation", "key drop", "step completion", "INCOMPLETE recording", "re-key",
            "purge");
    /** The flows that lead to and carry out the drop of a retired recoverable epoch's blinded keys. */
    static final List<String> RETIREMENT_FLOWS = List.of("re-key", "purge", "key drop");
    private static final GroupSettings V1 = CoreHarness.group(GROUP, STEP, 60, "m1", "m2", "m3");
    private static final GroupSettings V2 = CoreHarness.group(GROUP, STEP, 60, "m1", "m2", "m3", "m4");

    private final GroupSettings v2;
    private final boolean keepsKeysWhileActive;
    private final CrashLife life;
    private final SimulatedMeters meters;
    private long firstLabel;
    private long lastLabel;

    CrashScenario(Path dataDir, CrashPoints points) {
        this(dataDir, points, V1, V2);
    }

    /** The same life for a group on the recoverable parameter set; no step reaches the minimum to be recovered. */
    static CrashScenario recoverable(Path dataDir, CrashPoints points) {
        return new CrashScenario(dataDir, points, recoverable(V1), recoverable(V2));
    }

    private static GroupSettings recoverable(GroupSettings s) {
        return new GroupSettings(s.id(), PsaParameters.RECOVERABLE.name(), s.stepSeconds(), s.deadlineSeconds(), s.lateWindowSeconds(),
                s.members()).withRecovery(s.members().size() + 1, null);
    }

    private CrashScenario(Path dataDir, CrashPoints points, GroupSettings v1, GroupSettings v2) {
        this.v2 = v2;
        this.keepsKeysWhileActive = v1.parameters().scheme().supportsRecovery();
        this.life = new CrashLife(dataDir, points, v1);
        life.queueKeyDrops();
        this.meters = new SimulatedMeters(GROUP, life.broker);
        life.reactWith(meters::react);
    }

    /** Runs the whole life. */
    @Override
    public void run() {
        CrashPoints points = life.points;
        try (life) {
            points.flow("key setup");
            life.start();
            meters.holdBlinded("m3");
            life.pump();
            points.flow("activation");
            meters.releaseBlinded();
            life.pump();
            firstLabel = meters.activeFrom().get(0L);

            points.flow("step completion");
            reportAtEndOf(firstLabel, Set.of());
            reportAtEndOf(firstLabel + 1, Set.of());

            points.flow("INCOMPLETE recording");
            reportAtEndOf(firstLabel + 2, Set.of("m3"));
            life.clock.set(TimeSteps.start(firstLabel + 3, STEP).plusSeconds(61));
            life.pump();
            meters.report(firstLabel + 2, onlyMeter("m3"));
            life.pump();

            points.flow("re-key");
            life.reconfigure(v2);
            life.pump();

            points.flow("purge");
            long label = firstLabel + 3;
            for (; label <= firstLabel + 9; label++) {
                // one step stays INCOMPLETE for good: m2 never reports it
                reportAtEndOf(label, label == firstLabel + 5 ? Set.of("m2") : Set.of());
            }
            lastLabel = label - 1;
            life.clock.set(TimeSteps.start(lastLabel + 1, STEP).plusSeconds(61));
            life.pump();
            // the next tick: a purge that failed at the last one (the retirement waits for it) is done again
            life.pump();
        }
    }

    private Set<String> onlyMeter(String meter) {
        Set<String> others = new TreeSet<>(meters.members(meters.epochFor(firstLabel + 2)));
        others.remove(meter);
        return others;
    }

    private void reportAtEndOf(long label, Set<String> silent) {
        life.atEndOf(label, STEP, () -> meters.report(label, silent));
    }

    /** Every broken invariant, empty when all hold. */
    @Override
    public List<String> violations() {
        List<String> problems = new ArrayList<>();
        Map<Long, List<StepResult>> byLabel = new HashMap<>();
        try (Database check = Database.open(StorageSettings.defaults(), life.dataDir)) {
            for (StepResult r : new ResultStore(check).between(GROUP, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
                byLabel.computeIfAbsent(r.label(), l -> new ArrayList<>()).add(r);
            }
            var epochs = new EpochStore(check).load(GROUP);
            var latest = epochs.get(epochs.size() - 1);
            if (latest.epoch() != 1 || latest.phase() != org.psametering.headend.core.EpochPhase.ACTIVE) {
                problems.add("stuck: newest epoch " + latest);
            }
            for (var e : epochs) {
                if (e.phase() == org.psametering.headend.core.EpochPhase.ACTIVE && e.epoch() < latest.epoch() && e.activeUntil().isEmpty()) {
                    problems.add("stuck: older epoch " + e.epoch() + " never ended");
                }
                boolean collecting = e.epoch() == latest.epoch();
                if (keepsKeysWhileActive && collecting && e.blindedKeys().size() != e.members().size()) {
                    // recovering one of its steps needs every member's blinded key
                    problems.add("the collecting recoverable epoch " + e.epoch() + " stores the blinded keys of "
                            + new TreeSet<>(e.blindedKeys().keySet()) + " only");
                } else if (e.phase() == org.psametering.headend.core.EpochPhase.ACTIVE && !(keepsKeysWhileActive && collecting)
                        && !e.blindedKeys().isEmpty()) {
                    // non-recoverable: K is stored, the keys must go; recoverable: retired, nothing can use them
                    problems.add("epoch " + e.epoch() + " still stores the blinded keys of " + new TreeSet<>(e.blindedKeys().keySet())
                            + (keepsKeysWhileActive ? " after its retirement" : " after its activation"));
                } else if (e.phase() == org.psametering.headend.core.EpochPhase.SUPERSEDED && !e.blindedKeys().isEmpty()) {
                    problems.add("superseded epoch " + e.epoch() + " still stores blinded keys");
                }
            }
        }
        byte[] announce = life.broker.retained(Topics.announce(GROUP));
        if (announce == null || GroupAnnouncement.fromJson(announce).phase() != GroupPhase.ACTIVE || GroupAnnouncement.fromJson(announce).epoch() != 1) {
            problems.add("stuck: retained announcement is not epoch 1 ACTIVE");
        }
        if (life.broker.unacknowledged() > 0) {
            problems.add(life.broker.unacknowledged() + " messages never acknowledged");
        }
        Map<Long, ResultMessage> lastPublished = new HashMap<>();
        for (FakeBroker.Publication p : life.broker.published()) {
            if (p.topic().equals(Topics.result(GROUP))) {
                ResultMessage m = ResultMessage.fromJson(p.payload());
                lastPublished.put(m.label(), m);
            }
        }
        for (long label = firstLabel; label <= lastLabel; label++) {
            long epoch = meters.epochFor(label);
            Set<String> missing = new TreeSet<>(meters.members(epoch));
            Map<String, Long> sent = meters.sent(label);
            missing.removeAll(sent.keySet());
            ResultMessage expected = missing.isEmpty()
                    ? ResultMessage.complete(GROUP, epoch, label, sent.values().stream().mapToLong(Long::longValue).sum())
                    : ResultMessage.incomplete(GROUP, epoch, label, List.copyOf(missing));
            List<StepResult> rows = byLabel.getOrDefault(label, List.of());
            if (rows.size() != 1) {
                problems.add("label " + label + ": " + rows.size() + " stored results " + rows.stream().map(StepResult::toMessage).toList()
                        + ", expected " + expected);
            } else if (!rows.get(0).toMessage().equals(expected)) {
                problems.add("label " + label + ": stored " + rows.get(0).toMessage() + ", expected " + expected);
            } else if (rows.get(0).status() == ResultStatus.INCOMPLETE && rows.get(0).reported() != sent.size()) {
                problems.add("label " + label + ": INCOMPLETE says reported " + rows.get(0).reported() + ", " + sent.size() + " were stored");
            }
            if (!expected.equals(lastPublished.get(label))) {
                problems.add("label " + label + ": last published " + lastPublished.get(label) + ", expected " + expected);
            }
        }
        return problems;
    }

    @Override
    public int restarts() {
        return life.restarts();
    }
}
