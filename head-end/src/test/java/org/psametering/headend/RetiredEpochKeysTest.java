package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * A recoverable epoch (the shipped default) keeps its members' blinded keys while a step of it can still be recovered;
 * once it is retired (a newer epoch took over and none of its steps can be aggregated or recovered any more) or it was
 * superseded before it became active, its stored keys are dropped (48 KiB per member and epoch, kept forever before),
 * while K, the public keys and the results stay. Embedded H2, real crypto, drops run on the calling thread unless a
 * test queues them.
 */
class RetiredEpochKeysTest {
    private static final int STEP = 900;
    private static final int DEADLINE = 60;
    private static final int LATE = 4 * STEP;
    /** Longer than the late window: the old epoch's last step is still being recovered when its labels left it. */
    private static final int WINDOW = 6 * STEP;
    private static final String G = "feeder-7";
    private static final List<String> SIX = List.of("m1", "m2", "m3", "m4", "m5", "m6");
    private static final GroupSettings GROUP = new GroupSettings(G, PsaParameters.RECOVERABLE.name(), STEP, DEADLINE, LATE, SIX)
            .withRecovery(3, WINDOW);
    private static final GroupSettings SEVEN = GROUP.withMembers(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7"));

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    @Test
    void theOldEpochsLastStepIsRecoveredWithItsKeysAndOnlyThenAreTheyDropped() {
        Map<String, TestMeter> old;
        long last;
        long expected;
        byte[] aggregationKey;
        try (CoreHarness h = open(GROUP)) {
            old = h.setUpKeys(G);
            last = h.announcement(G).activeFromLabel().orElseThrow();
            // epoch 1 takes over from the label after: epoch 0 covers one label, its last
            clock.set(TimeSteps.start(last, STEP).plusSeconds(10));
            h.core.reconfigure(SEVEN);
            h.setUpKeys(G);
            assertEquals(OptionalLong.of(last + 1), h.announcement(G).activeFromLabel());
            aggregationKey = stored(h, 0).aggregationKey();
            assertNotNull(aggregationKey);

            clock.set(TimeSteps.start(last + 1, STEP).plusSeconds(2));
            expected = h.sendStep(G, 0, last, only(old, "m1", "m2", "m3", "m4"), 1234);
            clock.set(TimeSteps.start(last + 1, STEP).plusSeconds(DEADLINE + 1));
            h.core.tick();
            assertEquals(ResultStatus.RECOVERING, result(h, last).status());

            // the last label left the late window, but its recovery still waits for answers: nothing is dropped
            clock.set(TimeSteps.start(last + 1, STEP).plusSeconds(LATE + STEP));
            h.core.tick();
            assertEquals(List.of(0L, 1L), h.core.statuses().get(0).collectingEpochs(), "epoch 0 is not retired yet");
            assertEquals(SIX.size(), stored(h, 0).blindedKeys().size(), "a step of epoch 0 can still be recovered");
        }
        try (CoreHarness h = open(SEVEN)) {
            // a restart right then neither drops them: the recovery is restored, with the keys it needs
            assertEquals(SIX.size(), stored(h, 0).blindedKeys().size(), "dropped at the restart while still needed");
            byte[] request = h.publisher.last(Topics.recovery(G, 0)).orElseThrow().payload();
            for (String m : List.of("m1", "m2", "m3", "m4")) {
                h.deliver(Topics.recoveryAnswer(G, 0, m), old.get(m).recoveryAnswerPayload(request));
            }
            StepResult recovered = result(h, last);
            assertEquals(ResultStatus.RECOVERED, recovered.status());
            assertEquals(OptionalLong.of(expected), recovered.sum(), "recovered with the missing meters' stored blinded keys");

            h.core.tick();
            assertEquals(List.of(1L), h.core.statuses().get(0).collectingEpochs(), "epoch 0 retired");
            EpochRecord retired = stored(h, 0);
            assertEquals(Map.of(), retired.blindedKeys(), "a retired epoch's blinded keys are dropped");
            assertArrayEquals(aggregationKey, retired.aggregationKey(), "K stays");
            assertEquals(SIX.size(), retired.publicKeys().size(), "the public keys stay");
            assertEquals(EpochPhase.ACTIVE, retired.phase());
            assertEquals(OptionalLong.of(expected), result(h, last).sum(), "the result stays");
            assertEquals(SEVEN.members().size(), stored(h, 1).blindedKeys().size(), "the active epoch keeps its keys");
        }
    }

    @Test
    void aRestartDropsTheKeysOfAnEpochRetiredBeforeACrashLostTheDrop() {
        List<Runnable> neverRun = new ArrayList<>(); // the process dies before its key-drop thread runs
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, neverRun::add, GROUP)) {
            h.setUpKeys(G);
            long first = h.announcement(G).activeFromLabel().orElseThrow();
            clock.set(TimeSteps.start(first, STEP).plusSeconds(10));
            h.core.reconfigure(SEVEN);
            h.setUpKeys(G);
            assertEquals(List.of(), neverRun, "a recoverable epoch's activation drops nothing");
            clock.set(TimeSteps.start(first + 1, STEP).plusSeconds(LATE + STEP));
            h.core.tick();
            assertEquals(List.of(1L), h.core.statuses().get(0).collectingEpochs(), "epoch 0 retired");
            assertEquals(1, neverRun.size(), "the retirement schedules the drop");
            assertEquals(SIX.size(), stored(h, 0).blindedKeys().size());
        }
        List<Runnable> afterRestart = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, afterRestart::add, SEVEN)) {
            assertEquals(1, afterRestart.size(), "the restart schedules the drop that was lost");
            afterRestart.forEach(Runnable::run);
            assertEquals(Map.of(), stored(h, 0).blindedKeys());
            assertEquals(SEVEN.members().size(), stored(h, 1).blindedKeys().size(), "the active epoch keeps its keys");
        }
        List<Runnable> second = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, second::add, SEVEN)) {
            assertEquals(List.of(), second, "nothing left to drop");
        }
    }

    @Test
    void theKeysAnEpochSupersededDuringItsKeySetupStoredAreDropped() {
        try (CoreHarness h = open(GROUP)) {
            h.setUpKeys(G);
            h.core.reconfigure(SEVEN);
            GroupAnnouncement announced = h.announcement(G);
            assertEquals(1, announced.epoch());
            Map<String, TestMeter> fresh = new LinkedHashMap<>();
            for (String id : announced.members()) {
                TestMeter meter = new TestMeter(id, PsaParameters.RECOVERABLE, CoreHarness.RANDOM);
                fresh.put(id, meter);
                h.deliver(Topics.publicKey(G, 1, id), meter.publicKeyPayload(announced.toJson()));
            }
            byte[] keySet = h.publisher.last(Topics.keySet(G, 1)).orElseThrow().payload();
            for (String id : List.of("m1", "m2", "m3")) {
                h.deliver(Topics.blindedKey(G, 1, id), fresh.get(id).blindedKeyPayload(keySet));
            }
            assertEquals(3, stored(h, 1).blindedKeys().size());

            h.core.reconfigure(GROUP.withMembers(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")));
            assertEquals(2, h.announcement(G).epoch());
            EpochRecord superseded = stored(h, 1);
            assertEquals(EpochPhase.SUPERSEDED, superseded.phase());
            assertEquals(Map.of(), superseded.blindedKeys(), "a superseded epoch never becomes active: its keys are dropped");
            assertEquals(SIX.size(), stored(h, 0).blindedKeys().size(), "the epoch still collecting keeps its keys");
        }
        List<Runnable> afterRestart = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, afterRestart::add, GROUP.withMembers(
                List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")))) {
            assertEquals(List.of(), afterRestart, "nothing left to drop");
        }
    }

    private CoreHarness open(GroupSettings settings) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, settings);
    }

    private static Map<String, TestMeter> only(Map<String, TestMeter> meters, String... ids) {
        Map<String, TestMeter> some = new LinkedHashMap<>();
        for (String id : ids) {
            some.put(id, meters.get(id));
        }
        return some;
    }

    private static EpochRecord stored(CoreHarness h, long epoch) {
        return new EpochStore(h.db).load(G).stream().filter(e -> e.epoch() == epoch).findFirst().orElseThrow();
    }

    private static StepResult result(CoreHarness h, long label) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }
}
