package org.psametering.headend.crash;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.MaskGraphOption;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.Topics;

/**
 * One head-end life of a group on the sparse mask graph (docs/protocol.md, "Sparse mask graph"), at the smallest
 * size a sparse epoch allows, with at most one crash or failure anywhere in it (see {@link CrashPoints}): epoch 0's
 * seed drawn and stored with the epoch, its per-meter key sets published; epoch 1 (one member more) supersedes it
 * before it activates, then gets its blinded keys, activates and aggregates two steps.
 *
 * <p>Afterwards ({@link #violations()}): each epoch was announced with one graph only, the one stored with it; every
 * per-meter key set published for an (epoch, meter) was byte-identical; no meter was sent a second, different key set
 * for an epoch it blinded for ({@link SimulatedMeters#violations()}); both steps have exactly one result, COMPLETE
 * with the exact sum; the superseded epoch's retained key sets and public keys are gone; every message was
 * acknowledged.
 *
 * <p>Cost: the meters' blinding and the head-end's key checks are real (about 80 agreements per meter). So the
 * head-end's draws are fixed ({@link CrashLife#fixedRandom()}) and the meters' answers remembered across runs
 * ({@link MeterWork}); the sweep thins runs of the same per-meter side effect ({@link CrashSweep.Thinning#RUN_ENDS});
 * epoch 1's public keys and key sets (epoch 0's again) and the second step are not swept.
 */
final class SparseCrashScenario implements CrashSweep.Scenario {
    static final String GROUP = "s";
    static final int STEP = 900;
    static final List<String> FLOWS = List.of("seed drawn and stored", "key sets published", "supersession",
            "blinded keys received", "activation", "step");
    /** Side effects that are not swept (epoch 1's public keys and key sets, the second step): checked, not crashed. */
    static final String UNSWEPT = "unswept";
    private static final List<String> MEMBERS = ids(MaskGraphOption.SPARSE_MIN_MEMBERS);
    private static final List<String> MORE = ids(MaskGraphOption.SPARSE_MIN_MEMBERS + 1);
    private static final GroupSettings V0 = settings(MEMBERS);
    private static final GroupSettings V1 = settings(MORE);
    private static final String LAST = MORE.get(MORE.size() - 1);

    private final CrashLife life;
    private final SimulatedMeters meters;
    private long first;

    /** @param work the meters' answers, shared by the runs of one sweep */
    SparseCrashScenario(Path dataDir, CrashPoints points, MeterWork work) {
        this.life = new CrashLife(dataDir, points, V0, CrashLife.fixedRandom());
        this.meters = new SimulatedMeters(GROUP, life.broker, work);
        life.reactWith(meters::react);
    }

    private static List<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("m%03d", i)).toList();
    }

    private static GroupSettings settings(List<String> members) {
        return new GroupSettings(GROUP, PsaParameters.DEFAULT.name(), STEP, 60, 4 * STEP, members).withMaskGraph("sparse");
    }

    @Override
    public void run() {
        CrashPoints points = life.points;
        try (life) {
            points.flow("seed drawn and stored");
            life.start();
            points.flow("key sets published");
            meters.holdBlinded(MORE); // epoch 0 stops at its key sets; the blinded keys are a flow of their own
            life.pump();
            points.flow("supersession");
            life.reconfigure(V1);
            points.flow(UNSWEPT);
            life.pump();
            points.flow("blinded keys received");
            meters.releaseBlinded();
            meters.holdBlinded(LAST); // the last one, which activates, too
            life.pump();
            points.flow("activation");
            meters.releaseBlinded();
            life.pump();

            points.flow("step");
            first = meters.activeFrom().get(1L);
            life.atEndOf(first, STEP, () -> meters.report(first, Set.of()));
            points.flow(UNSWEPT);
            life.atEndOf(first + 1, STEP, () -> meters.report(first + 1, Set.of()));
        }
    }

    @Override
    public List<String> violations() {
        List<String> problems = new ArrayList<>(meters.violations());
        problems.addAll(keySetsRepublishedUnchanged());
        Map<Long, List<StepResult>> stored = new HashMap<>();
        try (Database check = Database.open(StorageSettings.defaults(), life.dataDir)) {
            for (StepResult r : new ResultStore(check).between(GROUP, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
                stored.computeIfAbsent(r.label(), l -> new ArrayList<>()).add(r);
            }
            problems.addAll(epochs(new EpochStore(check).load(GROUP)));
        }
        Map<Long, ResultMessage> lastPublished = new HashMap<>();
        for (FakeBroker.Publication p : life.broker.published()) {
            if (p.topic().equals(Topics.result(GROUP))) {
                ResultMessage m = ResultMessage.fromJson(p.payload());
                lastPublished.put(m.label(), m);
            }
        }
        for (long label : List.of(first, first + 1)) {
            long epoch = meters.epochFor(label);
            ResultMessage expected = ResultMessage.complete(GROUP, epoch, label,
                    meters.sent(label).values().stream().mapToLong(Long::longValue).sum());
            List<StepResult> rows = stored.getOrDefault(label, List.of());
            if (meters.sent(label).size() != meters.members(epoch).size()) {
                problems.add("label " + label + ": only " + meters.sent(label).size() + " meters reported");
            }
            if (rows.size() != 1 || !rows.get(0).toMessage().equals(expected)) {
                problems.add("label " + label + ": stored " + rows.stream().map(StepResult::toMessage).toList() + ", expected " + expected);
            }
            if (!expected.equals(lastPublished.get(label))) {
                problems.add("label " + label + ": last published " + lastPublished.get(label) + ", expected " + expected);
            }
        }
        byte[] announce = life.broker.retained(Topics.announce(GROUP));
        if (announce == null || GroupAnnouncement.fromJson(announce).phase() != GroupPhase.ACTIVE || GroupAnnouncement.fromJson(announce).epoch() != 1) {
            problems.add("stuck: retained announcement is not epoch 1 ACTIVE");
        }
        long keySets = MEMBERS.stream().filter(m -> life.broker.retained(Topics.meterKeySet(GROUP, 0, m)) != null).count();
        long publicKeys = MEMBERS.stream().filter(m -> life.broker.retained(Topics.publicKey(GROUP, 0, m)) != null).count();
        if (keySets + publicKeys > 0) {
            problems.add("superseded epoch 0: " + keySets + " key sets and " + publicKeys + " public keys still retained");
        }
        if (life.broker.unacknowledged() > 0) {
            problems.add(life.broker.unacknowledged() + " messages never acknowledged");
        }
        return problems;
    }

    /** Every per-meter key set the head-end published (deletions aside) is the first one for its topic, byte for byte. */
    private List<String> keySetsRepublishedUnchanged() {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> first = new HashMap<>();
        for (FakeBroker.Publication p : life.broker.published()) {
            if (p.topic().matches(".*/keyset/[^/]+") && p.payload().length > 0) {
                byte[] before = first.putIfAbsent(p.topic(), p.payload());
                if (before != null && !Arrays.equals(before, p.payload())) {
                    problems.add(p.topic() + " published again with different bytes");
                }
            }
        }
        return problems;
    }

    /** Epoch 0 superseded, epoch 1 active, each stored with the graph it was announced with. */
    private List<String> epochs(List<EpochRecord> epochs) {
        List<String> problems = new ArrayList<>();
        List<String> phases = epochs.stream().map(e -> e.epoch() + ":" + e.phase()).toList();
        if (!phases.equals(List.of("0:SUPERSEDED", "1:ACTIVE"))) {
            return List.of("epochs: " + phases);
        }
        for (EpochRecord e : epochs) {
            Optional<?> announced = meters.graph(e.epoch());
            if (e.maskGraph().isEmpty() || !e.maskGraph().equals(announced)) {
                problems.add("epoch " + e.epoch() + ": stored graph differs from the announced one (or is not sparse)");
            }
        }
        return problems;
    }

    @Override
    public int restarts() {
        return life.restarts();
    }
}
