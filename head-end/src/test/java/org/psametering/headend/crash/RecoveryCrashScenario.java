package org.psametering.headend.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * One head-end life through the recovery of steps with missing meters (docs/protocol.md, "Recovery"), with at most
 * one crash or failure anywhere in it (see {@link CrashPoints}): label L1 misses m4 and is recovered (RECOVERING
 * stored, request published, answers of m1 and m2 stored, a planned restart, m3's answer, RECOVERED); label L2 misses
 * m4 too and m3 never answers (INCOMPLETE, RECOVERY_UNANSWERED); m4's late ciphertexts for both come after their
 * requests and again after the ends (refused); then complete steps until both left the late window (purge).
 *
 * <p>The meters ({@link RecoveryMeters}) answer each (epoch, label) once only, so the head-end must keep every answer
 * it acknowledged, across restarts.
 */
final class RecoveryCrashScenario implements CrashSweep.Scenario {
    static final String GROUP = "r";
    static final int STEP = 900;
    static final int DEADLINE = 60;
    static final int WINDOW = 1800;
    static final List<String> FLOWS = List.of("recovery request", "AFTER_RECOVERY refusal", "answers stored",
            "restart mid-recovery", "RECOVERED", "RECOVERY_UNANSWERED", "refusal after the end", "purge");
    private static final GroupSettings SETTINGS = new GroupSettings(GROUP, PsaParameters.RECOVERABLE.name(), STEP, DEADLINE,
            4 * STEP, List.of("m1", "m2", "m3", "m4")).withRecovery(2, WINDOW);
    private static final String MISSING = "m4";

    private final CrashLife life;
    private final SimulatedMeters meters;
    private final RecoveryMeters answering;
    private final Map<Long, ResultMessage> expected = new TreeMap<>();
    private final List<String> probed = new ArrayList<>();
    private long l1;
    private long l2;
    private long firstComplete;
    private long lastLabel;

    RecoveryCrashScenario(Path dataDir, CrashPoints points) {
        this.life = new CrashLife(dataDir, points, SETTINGS);
        this.meters = new SimulatedMeters(GROUP, life.broker);
        this.answering = new RecoveryMeters(GROUP, life.broker, meters);
        life.reactWith(meters::react);
        life.reactWith(answering::react);
    }

    @Override
    public void run() {
        CrashPoints points = life.points;
        try (life) {
            points.flow("setup");
            life.start();
            life.pump();
            l1 = meters.activeFrom().get(0L);
            l2 = l1 + 1;
            answering.mute(l2, "m3");
            answering.lateOnRequest(l1, MISSING);
            answering.lateOnRequest(l2, MISSING);
            reportAtEndOf(l1, Set.of(MISSING));

            points.flow("recovery request");
            life.clock.set(deadlinePassed(l1));
            life.pump();
            points.flow("AFTER_RECOVERY refusal");
            answering.release(l1, MISSING); // m4's ciphertext, sent when it saw the request
            life.pump();
            probeRefused(l1, "after its request");
            points.flow("answers stored");
            answering.release(l1, "m1");
            life.pump();
            answering.release(l1, "m2");
            life.pump();

            points.flow("setup");
            reportAtEndOf(l2, Set.of(MISSING));
            points.flow("recovery request");
            life.clock.set(deadlinePassed(l2));
            life.pump();
            points.flow("answers stored");
            answering.release(l2, null); // m4's late ciphertext and the answers of m1 and m2 (m3 never answers)
            life.pump();
            probeRefused(l2, "after its request");

            points.flow("restart mid-recovery");
            life.start();
            life.pump();

            points.flow("RECOVERED");
            answering.release(l1, "m3");
            life.pump();
            points.flow("RECOVERY_UNANSWERED");
            life.clock.set(life.clock.instant().plusSeconds(WINDOW + 1));
            life.pump();

            points.flow("refusal after the end");
            meters.sendLate(l1, MISSING);
            meters.sendLate(l2, MISSING);
            life.pump();
            probeRefused(l1, "after its recovery ended");
            probeRefused(l2, "after its recovery ended");

            points.flow("purge");
            // from the step under way (the window passed over the ones in between: they stay unchecked)
            firstComplete = TimeSteps.label(life.clock.instant(), STEP);
            long label = firstComplete;
            for (; label <= firstComplete + 5; label++) {
                reportAtEndOf(label, Set.of());
            }
            lastLabel = label - 1;
            life.clock.set(deadlinePassed(lastLabel));
            life.pump();
        }
        expectations();
    }

    private void expectations() {
        long r1 = 0;
        for (String m : List.of("m1", "m2", "m3")) {
            r1 += meters.sent(l1).get(m);
        }
        expected.put(l1, new ResultMessage(GROUP, 0, l1, ResultStatus.RECOVERED, OptionalLong.of(r1), List.of(MISSING)));
        expected.put(l2, new ResultMessage(GROUP, 0, l2, ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of(MISSING),
                Optional.of(ResultReason.RECOVERY_UNANSWERED)));
        for (long label = firstComplete; label <= lastLabel; label++) {
            expected.put(label, ResultMessage.complete(GROUP, 0, label, meters.sent(label).values().stream().mapToLong(Long::longValue).sum()));
        }
    }

    private static Instant deadlinePassed(long label) {
        return TimeSteps.start(label + 1, STEP).plusSeconds(DEADLINE + 1);
    }

    private void reportAtEndOf(long label, Set<String> silent) {
        life.atEndOf(label, STEP, () -> meters.report(label, silent));
    }

    /** The refusal rule, looked at directly: no ciphertext of the missing meter stored for the label. */
    private void probeRefused(long label, String when) {
        String url = StorageSettings.defaults().effectiveUrl(life.dataDir);
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM psa_pending WHERE group_id = ? AND label = ? AND meter_id = ?")) {
            p.setString(1, GROUP);
            p.setLong(2, label);
            p.setString(3, MISSING);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                if (r.getLong(1) != 0) {
                    probed.add("label " + label + ": a ciphertext of " + MISSING + " was stored " + when);
                }
            }
        } catch (SQLException e) {
            probed.add("probe failed: " + e);
        }
    }

    @Override
    public List<String> violations() {
        List<String> problems = new ArrayList<>(probed);
        problems.addAll(answering.violations());
        Map<Long, List<StepResult>> stored = new HashMap<>();
        try (Database check = Database.open(StorageSettings.defaults(), life.dataDir)) {
            for (StepResult r : new ResultStore(check).between(GROUP, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
                stored.computeIfAbsent(r.label(), l -> new ArrayList<>()).add(r);
            }
            var epochs = new EpochStore(check).load(GROUP);
            if (epochs.size() != 1 || epochs.get(0).phase() != EpochPhase.ACTIVE) {
                problems.add("epochs: " + epochs);
            }
            problems.addAll(leftovers(check));
        }
        for (var e : expected.entrySet()) {
            long label = e.getKey();
            List<StepResult> rows = stored.getOrDefault(label, List.of());
            if (rows.size() != 1 || !rows.get(0).toMessage().equals(e.getValue())) {
                problems.add("label " + label + ": stored " + rows.stream().map(StepResult::toMessage).toList() + ", expected " + e.getValue());
            } else if (rows.get(0).reported() != meters.sent(label).size()) {
                problems.add("label " + label + ": reported " + rows.get(0).reported() + ", " + meters.sent(label).size() + " reported on time");
            }
        }
        problems.addAll(publishedResults());
        if (!answering.requestedLabels().equals(Set.of(l1, l2))) {
            problems.add("recovery requested for labels " + answering.requestedLabels() + ", expected " + l1 + " and " + l2);
        }
        for (long label : List.of(l1, l2)) {
            var request = answering.requestFor(0, label);
            if (request != null && !request.missing().equals(List.of(MISSING))) {
                problems.add("label " + label + ": request " + request);
            }
        }
        if (life.broker.unacknowledged() > 0) {
            problems.add(life.broker.unacknowledged() + " messages never acknowledged");
        }
        return problems;
    }

    /**
     * Every result published per label: the final ones all equal to the expected result (never a second, different
     * final value), a RECOVERING one only with the expected missing set and never after a final one, the last one final.
     */
    private List<String> publishedResults() {
        List<String> problems = new ArrayList<>();
        Map<Long, List<ResultMessage>> byLabel = new TreeMap<>();
        for (FakeBroker.Publication p : life.broker.published()) {
            if (p.topic().equals(Topics.result(GROUP))) {
                ResultMessage m = ResultMessage.fromJson(p.payload());
                byLabel.computeIfAbsent(m.label(), l -> new ArrayList<>()).add(m);
            }
        }
        for (var e : expected.entrySet()) {
            List<ResultMessage> all = byLabel.getOrDefault(e.getKey(), List.of());
            boolean finalSeen = false;
            for (ResultMessage m : all) {
                if (m.status() == ResultStatus.RECOVERING) {
                    if (finalSeen || !m.missing().equals(e.getValue().missing())) {
                        problems.add("label " + e.getKey() + ": published " + all);
                        break;
                    }
                } else if (!m.equals(e.getValue())) {
                    problems.add("label " + e.getKey() + ": published " + m + " (all: " + all + "), expected " + e.getValue());
                    break;
                } else {
                    finalSeen = true;
                }
            }
            if (!finalSeen) {
                problems.add("label " + e.getKey() + ": no final result published: " + all);
            }
        }
        return problems;
    }

    /** Inputs of L1 and L2 (ciphertexts, answers) must be gone once both left the late window. */
    private List<String> leftovers(Database check) {
        List<String> problems = new ArrayList<>();
        String url = StorageSettings.defaults().effectiveUrl(life.dataDir);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            for (String table : List.of("psa_pending", "psa_recovery_answer")) {
                try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE group_id = ? AND label <= ?")) {
                    p.setString(1, GROUP);
                    p.setLong(2, l2);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        if (r.getLong(1) != 0) {
                            problems.add(r.getLong(1) + " rows of " + table + " for labels up to " + l2 + " left after they left the late window");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("leftover check failed: " + e);
        }
        return problems;
    }

    @Override
    public int restarts() {
        return life.restarts();
    }
}
