package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * Issue 14: each transition writes the database first, then memory, then acknowledges; a storage failure at any
 * point leaves nothing half-applied, and whatever was acknowledged reaches a result.
 */
class DurableTransitionsTest {
    private static final int STEP = 900;
    private static final GroupSettings GROUP = CoreHarness.group("feeder-1", STEP, 60, "m1", "m2", "m3");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    private CoreHarness open() {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, GROUP);
    }

    private void endOf(long label) {
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
    }

    private static List<StepResult> stored(CoreHarness h) {
        return h.core.results().between("feeder-1", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    /** Defect 2: a public key whose save failed is not kept in memory, so its redelivery is stored. */
    @Test
    void aPublicKeyWhoseSaveFailedIsStoredWhenRedelivered() {
        byte[] key;
        try (CoreHarness h = open()) {
            TestMeter m1 = new TestMeter("m1", PsaParameters.DEFAULT, CoreHarness.RANDOM);
            key = m1.publicKeyPayload(h.announcement("feeder-1").toJson());
            h.faults.fail("public_key", () -> new SQLException("disk full"));
            int acks = h.acks.get();
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"), key);
            assertEquals(acks, h.acks.get(), "not stored, so not acknowledged");
            assertEquals(0, h.core.statuses().get(0).publicKeysReceived(), "memory follows the database");
            assertTrue(h.core.storageHealth().failure().isPresent());
            h.faults.heal();
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"), key);
            assertEquals(acks + 1, h.acks.get());
            assertTrue(h.core.storageHealth().healthy());
        }
        try (CoreHarness h = open()) {
            assertEquals(1, h.core.statuses().get(0).publicKeysReceived(), "the redelivered key was stored");
        }
    }

    /** Defect 5: a complete step whose result could not be stored still gets its result, from the stored inputs. */
    @Test
    void aCompleteStepWhoseResultWasNotStoredIsRecordedLater() {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            h.faults.fail("INSERT INTO psa_result", () -> new SQLException("disk full"));
            long sum = h.sendStep("feeder-1", 0, label, meters, 10);
            assertTrue(stored(h).isEmpty());
            h.faults.heal();
            clock.advance(Duration.ofSeconds(61));
            h.core.tick();
            List<StepResult> rows = stored(h);
            assertEquals(1, rows.size());
            assertEquals(OptionalLong.of(sum), rows.get(0).sum());
            assertEquals(ResultMessage.complete("feeder-1", 0, label, sum),
                    ResultMessage.fromJson(h.publisher.last(Topics.result("feeder-1")).orElseThrow().payload()));
        }
    }

    /**
     * Defect 7: a failure other than a StorageException while storing a batch leaves no reservation behind, so the
     * redelivered copies are stored, not acknowledged as duplicates and lost.
     */
    @Test
    void anUnexpectedFailureWhileStoringLeavesNoReservationBehind() {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            List<InboundMessage> batch = new ArrayList<>();
            for (TestMeter m : meters.values()) {
                batch.add(new InboundMessage(Topics.ciphertext("feeder-1", 0, m.id()), m.ciphertextPayload(label, 5), h.acks::incrementAndGet));
            }
            int acks = h.acks.get();
            h.faults.fail("INSERT INTO psa_pending", () -> new IllegalStateException("driver bug"));
            try {
                h.core.process(batch);
            } catch (IllegalStateException expected) {
                // the loop logs it; what matters is what the core left behind
            }
            assertEquals(acks, h.acks.get());
            h.faults.heal();
            h.core.process(batch);
            assertEquals(acks + 3, h.acks.get());
            assertEquals(OptionalLong.of(15), stored(h).get(0).sum());
        }
    }

    /** Defect 7: a batch that throws does not make the core loop drop the tasks queued behind it. */
    @Test
    void aFailingBatchDoesNotDropTheTasksQueuedBehindIt() throws Exception {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            h.faults.fail("INSERT INTO psa_pending", () -> new IllegalStateException("driver bug"));
            try (CoreLoop loop = new CoreLoop(h.core, 60_000)) {
                AtomicInteger acks = new AtomicInteger();
                for (TestMeter m : meters.values()) {
                    loop.submit(new InboundMessage(Topics.ciphertext("feeder-1", 0, m.id()), m.ciphertextPayload(label, 5), acks::incrementAndGet));
                }
                var task = loop.execute(() -> { });
                loop.start();
                task.get(20, TimeUnit.SECONDS);
                assertEquals(0, acks.get());
            }
        }
    }

    /** Defect 8b: every member reported, one MAC'd garbage: INCOMPLETE with the reason named and counted, no sum. */
    @Test
    void anAggregationFailureIsRecordedPublishedAndCountedWithItsReason() {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), meters.get("m1").ciphertextPayload(label, 1));
            h.deliver(Topics.ciphertext("feeder-1", 0, "m2"), meters.get("m2").ciphertextPayload(label, 2));
            byte[] garbage = Encodings.encode(new Ciphertext(label, 0x1_2345L, 0x0fed_cba9_8765_4321L), PsaParameters.DEFAULT);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m3"), meters.get("m3").sealWithOwnKey(garbage));
            List<StepResult> rows = stored(h);
            assertEquals(1, rows.size());
            assertEquals(ResultStatus.INCOMPLETE, rows.get(0).status());
            assertEquals(Optional.of(ResultReason.AGGREGATION_FAILED), rows.get(0).reason());
            assertEquals(ResultMessage.failed("feeder-1", 0, label, ResultReason.AGGREGATION_FAILED),
                    ResultMessage.fromJson(h.publisher.last(Topics.result("feeder-1")).orElseThrow().payload()));
            assertEquals(1, h.core.counters().aggregationFailures());
            clock.advance(Duration.ofSeconds(61));
            h.core.tick();
            assertEquals(1, stored(h).size(), "final: the deadline does not record it again");
        }
    }

    /** A result stored but not handed to the broker (publish failed, or a crash) is published later. */
    @Test
    void aResultWhosePublicationFailedIsPublishedAtTheNextTick() {
        AtomicBoolean brokerDown = new AtomicBoolean();
        List<String> delivered = new ArrayList<>();
        Publisher flaky = (topic, payload, retained) -> {
            if (brokerDown.get() && topic.endsWith("/result")) {
                throw new IllegalStateException("not connected");
            }
            delivered.add(topic);
        };
        try (CoreHarness h = new CoreHarness(StorageSettings.defaults(), dataDir, clock, flaky, GROUP)) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            brokerDown.set(true);
            h.sendStep("feeder-1", 0, label, meters, 10);
            assertEquals(1, stored(h).size());
            assertTrue(delivered.stream().noneMatch(t -> t.endsWith("/result")));
            brokerDown.set(false);
            h.core.tick();
            assertEquals(1, delivered.stream().filter(t -> t.endsWith("/result")).count());
            h.core.tick();
            assertEquals(1, delivered.stream().filter(t -> t.endsWith("/result")).count(), "published once");
        }
    }

    /** Issue 8 defect 5: a ciphertext for an epoch this head-end does not know yet is left unacknowledged. */
    @Test
    void aCiphertextOfAnEpochNewerThanAnyKnownIsNotAcknowledged() {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            int acks = h.acks.get();
            h.deliver(Topics.ciphertext("feeder-1", 1, "m1"), meters.get("m1").ciphertextPayload(label, 1));
            assertEquals(acks, h.acks.get());
            assertEquals(1, h.core.counters().heldUnjudged());
            assertEquals(0, h.core.rejections().total());
        }
    }

    /** Issue 8 defect 7: a replaced public key is counted; a stalled key setup is warned about and shown. */
    @Test
    void aReplacedKeyIsCountedAndAStalledKeySetupIsShown() {
        GroupSettings quick = new GroupSettings("feeder-1", null, STEP, 60, 4 * STEP, List.of("m1", "m2"), 600);
        try (CoreHarness h = new CoreHarness(StorageSettings.defaults(), dataDir, clock, quick)) {
            GroupAnnouncement announcement = h.announcement("feeder-1");
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"),
                    new TestMeter("m1", PsaParameters.DEFAULT, CoreHarness.RANDOM).publicKeyPayload(announcement.toJson()));
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"),
                    new TestMeter("m1", PsaParameters.DEFAULT, CoreHarness.RANDOM).publicKeyPayload(announcement.toJson()));
            assertEquals(1, h.core.counters().publicKeysReplaced());
            assertEquals(1, h.core.statuses().get(0).publicKeysReceived());
            h.core.tick();
            assertTrue(h.core.statuses().get(0).keySetupStalledSince().isEmpty());
            clock.advance(Duration.ofSeconds(601));
            h.core.tick();
            assertTrue(h.core.statuses().get(0).keySetupStalledSince().isPresent());
        }
    }

    /** Issue 14 defect 6: a full disk stops ingest visibly (health flag, log) and loses nothing acknowledged. */
    @Test
    void aFullDiskIsReportedAndNothingUnstoredIsAcknowledged() {
        try (CoreHarness h = open()) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            List<InboundMessage> batch = new ArrayList<>();
            for (TestMeter m : meters.values()) {
                batch.add(new InboundMessage(Topics.ciphertext("feeder-1", 0, m.id()), m.ciphertextPayload(label, 4), h.acks::incrementAndGet));
            }
            int acks = h.acks.get();
            h.faults.fail("INSERT INTO psa_pending", () -> new SQLException("No space left on device"));
            h.core.process(batch);
            assertEquals(acks, h.acks.get(), "nothing unstored is acknowledged");
            assertTrue(h.core.storageHealth().failure().orElseThrow().error().contains("No space left on device"));
            h.faults.heal();
            h.core.process(batch); // the broker redelivers after the reconnect
            assertEquals(acks + 3, h.acks.get());
            assertTrue(h.core.storageHealth().healthy());
            assertEquals(OptionalLong.of(12), stored(h).get(0).sum());
        }
    }

    /** Issue 8 defect 7: /rejections counters continue across a restart. */
    @Test
    void rejectionCountersSurviveARestart() {
        try (CoreHarness h = open()) {
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"), new byte[]{1, 2, 3});
            h.deliver(Topics.ciphertext("feeder-9", 0, "m1"), new byte[]{1});
            assertEquals(1, h.core.rejections().get(RejectReason.MALFORMED));
        }
        try (CoreHarness h = open()) {
            assertEquals(1, h.core.rejections().get(RejectReason.MALFORMED));
            assertEquals(1, h.core.rejections().get(RejectReason.UNKNOWN_GROUP));
            h.deliver(Topics.ciphertext("feeder-9", 0, "m1"), new byte[]{1});
        }
        try (CoreHarness h = open()) {
            assertEquals(2, h.core.rejections().get(RejectReason.UNKNOWN_GROUP));
        }
    }
}
