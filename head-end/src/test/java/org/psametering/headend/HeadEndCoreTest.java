package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.RecordingPublisher;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/** The whole head-end core over embedded H2, with real crypto, the broker replaced by direct calls. */
class HeadEndCoreTest {
    private static final int STEP = 900;
    private static final GroupSettings GROUP = CoreHarness.group("feeder-1", STEP, 60, "m1", "m2", "m3");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    private CoreHarness open(GroupSettings settings) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, settings);
    }

    /** Moves the clock just past the end of the step (when meters report it). */
    private void endOf(long label) {
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
    }

    private static List<StepResult> stored(CoreHarness h, String group) {
        return h.core.results().between(group, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    @Test
    void keySetupThenACompleteStepIsAggregatedStoredAndPublished() {
        try (CoreHarness h = open(GROUP)) {
            assertEquals(GroupPhase.KEY_SETUP, h.announcement("feeder-1").phase());
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            GroupAnnouncement active = h.announcement("feeder-1");
            assertEquals(GroupPhase.ACTIVE, active.phase());
            long label = active.activeFromLabel().orElseThrow();
            endOf(label);
            int acksBefore = h.acks.get();
            long expected = h.sendStep("feeder-1", 0, label, meters, 1000);

            assertEquals(acksBefore + 3, h.acks.get());
            ResultMessage published = ResultMessage.fromJson(h.publisher.last(Topics.result("feeder-1")).orElseThrow().payload());
            assertEquals(ResultMessage.complete("feeder-1", 0, label, expected), published);
            List<StepResult> rows = stored(h, "feeder-1");
            assertEquals(1, rows.size());
            assertEquals(OptionalLong.of(expected), rows.get(0).sum());
            assertEquals(0, h.core.rejections().total());
        }
    }

    @Test
    void afterAReconnectTheCurrentAnnouncementAndKeySetArePublishedAgainRetained() {
        try (CoreHarness h = open(GROUP)) {
            h.setUpKeys("feeder-1");
            GroupAnnouncement active = h.announcement("feeder-1");
            int announcementsBefore = h.publisher.on(Topics.announce("feeder-1")).size();
            int keySetsBefore = h.publisher.on(Topics.keySet("feeder-1", active.epoch())).size();

            h.core.republishAll();

            List<RecordingPublisher.Publication> announcements = h.publisher.on(Topics.announce("feeder-1"));
            List<RecordingPublisher.Publication> keySets = h.publisher.on(Topics.keySet("feeder-1", active.epoch()));
            assertEquals(announcementsBefore + 1, announcements.size());
            assertEquals(keySetsBefore + 1, keySets.size());
            RecordingPublisher.Publication again = announcements.get(announcements.size() - 1);
            assertTrue(again.retained());
            assertEquals(active, GroupAnnouncement.fromJson(again.payload()));
            assertTrue(keySets.get(keySets.size() - 1).retained());
        }
    }

    @Test
    void badInputIsRejectedCountedAcknowledgedAndNeverCorruptsTheResult() {
        try (CoreHarness h = open(GROUP)) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            byte[] good = meters.get("m1").ciphertextPayload(label, 42);
            byte[] forged = good.clone();
            forged[20] ^= 1;
            int acksBefore = h.acks.get();
            h.deliver("psa/v1/feeder-1/0/ct/m1/extra", good);
            h.deliver(Topics.ciphertext("feeder-9", 0, "m1"), good);
            h.deliver(Topics.ciphertext("feeder-1", 0, "stranger"), good);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), forged);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m2"), good); // m1's frame on m2's topic
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), new byte[]{1, 2, 3});
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), good);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), good);
            assertEquals(acksBefore + 8, h.acks.get(), "every message is acknowledged, rejected ones included");

            var counts = h.core.rejections().snapshot();
            assertEquals(2, counts.get(RejectReason.MALFORMED));
            assertEquals(1, counts.get(RejectReason.UNKNOWN_GROUP));
            assertEquals(1, counts.get(RejectReason.UNKNOWN_METER));
            assertEquals(0, counts.get(RejectReason.WRONG_EPOCH));
            assertEquals(2, counts.get(RejectReason.FORGED));
            assertEquals(1, counts.get(RejectReason.DUPLICATE));

            h.deliver(Topics.ciphertext("feeder-1", 0, "m2"), meters.get("m2").ciphertextPayload(label, 8));
            h.deliver(Topics.ciphertext("feeder-1", 0, "m3"), meters.get("m3").ciphertextPayload(label, 50));
            assertEquals(OptionalLong.of(100), stored(h, "feeder-1").get(0).sum());
        }
    }

    @Test
    void missingMeterGivesIncompleteThenTheLateCiphertextCompletesTheStep() {
        try (CoreHarness h = open(GROUP)) {
            Map<String, TestMeter> meters = h.setUpKeys("feeder-1");
            long label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), meters.get("m1").ciphertextPayload(label, 1));
            h.deliver(Topics.ciphertext("feeder-1", 0, "m3"), meters.get("m3").ciphertextPayload(label, 3));
            h.core.tick();
            assertTrue(stored(h, "feeder-1").isEmpty(), "before the deadline nothing is recorded");

            clock.advance(Duration.ofSeconds(60));
            h.core.tick();
            ResultMessage incomplete = ResultMessage.fromJson(h.publisher.last(Topics.result("feeder-1")).orElseThrow().payload());
            assertEquals(ResultMessage.incomplete("feeder-1", 0, label, List.of("m2")), incomplete);
            assertEquals(ResultStatus.INCOMPLETE, stored(h, "feeder-1").get(0).status());

            h.deliver(Topics.ciphertext("feeder-1", 0, "m2"), meters.get("m2").ciphertextPayload(label, 2));
            List<StepResult> rows = stored(h, "feeder-1");
            assertEquals(1, rows.size(), "the late completion replaces the incomplete record");
            assertEquals(ResultStatus.COMPLETE, rows.get(0).status());
            assertEquals(OptionalLong.of(6), rows.get(0).sum());
        }
    }

    @Test
    void restartKeepsEpochKeysResultsAndAcknowledgedPendingCiphertexts() {
        Map<String, TestMeter> meters;
        long label;
        try (CoreHarness h = open(GROUP)) {
            meters = h.setUpKeys("feeder-1");
            label = h.announcement("feeder-1").activeFromLabel().orElseThrow();
            endOf(label);
            h.sendStep("feeder-1", 0, label, meters, 10);
            endOf(label + 1);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), meters.get("m1").ciphertextPayload(label + 1, 100));
            h.deliver(Topics.ciphertext("feeder-1", 0, "m2"), meters.get("m2").ciphertextPayload(label + 1, 200));
        }
        try (CoreHarness h = open(GROUP)) {
            GroupAnnouncement announcement = h.announcement("feeder-1");
            assertEquals(0, announcement.epoch(), "same configuration: same epoch, no re-key");
            assertEquals(GroupPhase.ACTIVE, announcement.phase());
            assertEquals(1, stored(h, "feeder-1").size());
            // m1 and m2 were acknowledged before the restart: m3 alone completes the step
            h.deliver(Topics.ciphertext("feeder-1", 0, "m3"), meters.get("m3").ciphertextPayload(label + 1, 300));
            List<StepResult> rows = stored(h, "feeder-1");
            assertEquals(2, rows.size());
            assertEquals(OptionalLong.of(600), rows.get(1).sum());
            // and a ciphertext acknowledged before the restart is still a duplicate after it
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), meters.get("m1").ciphertextPayload(label + 2, 1));
            assertEquals(0, h.core.rejections().get(RejectReason.DUPLICATE));
        }
    }

    @Test
    void addingAMemberStartsANewEpochAndNoStepUsesTheWrongKey() {
        try (CoreHarness h = open(GROUP)) {
            Map<String, TestMeter> old = h.setUpKeys("feeder-1");
            long first = h.announcement("feeder-1").activeFromLabel().orElseThrow();

            h.core.reconfigure(GROUP.withMembers(List.of("m1", "m2", "m3", "m4")));
            GroupAnnouncement next = h.announcement("feeder-1");
            assertEquals(1, next.epoch());
            assertEquals(GroupPhase.KEY_SETUP, next.phase());
            assertEquals(List.of("m1", "m2", "m3", "m4"), next.members());

            // the old epoch keeps aggregating while the new one is being keyed
            endOf(first);
            long oldSum = h.sendStep("feeder-1", 0, first, old, 5);
            Map<String, TestMeter> fresh = h.setUpKeys("feeder-1");
            GroupAnnouncement active = h.announcement("feeder-1");
            assertEquals(GroupPhase.ACTIVE, active.phase());
            long switchLabel = active.activeFromLabel().orElseThrow();
            assertEquals(EpochPhase.ACTIVE, h.core.statuses().get(0).phase());
            assertEquals(List.of(0L, 1L), h.core.statuses().get(0).collectingEpochs());

            endOf(switchLabel);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), old.get("m1").ciphertextPayload(switchLabel, 1));
            assertEquals(1, h.core.rejections().get(RejectReason.WRONG_EPOCH), "old epoch ends where the new one begins");
            long newSum = h.sendStep("feeder-1", 1, switchLabel, fresh, 9);

            List<StepResult> rows = stored(h, "feeder-1");
            assertEquals(List.of(0L, 1L), rows.stream().map(StepResult::epoch).toList());
            assertEquals(List.of(OptionalLong.of(oldSum), OptionalLong.of(newSum)), rows.stream().map(StepResult::sum).toList());

            // once the old epoch's labels have left the late window it is retired and its retained keys cleared
            assertTrue(h.publisher.on(Topics.keySet("feeder-1", 0)).stream().allMatch(p -> p.payload().length > 0));
            clock.set(Instant.ofEpochSecond(switchLabel * STEP + 4L * STEP + STEP));
            h.core.tick();
            assertEquals(List.of(1L), h.core.statuses().get(0).collectingEpochs());
            var lastKeySet = h.publisher.last(Topics.keySet("feeder-1", 0)).orElseThrow();
            assertTrue(lastKeySet.retained() && lastKeySet.payload().length == 0);
            assertEquals(0, h.publisher.last(Topics.publicKey("feeder-1", 0, "m3")).orElseThrow().payload().length);
            assertTrue(h.publisher.last(Topics.keySet("feeder-1", 1)).orElseThrow().payload().length > 0);
        }
    }

    @Test
    void changedConfigurationAtRestartStartsANewEpoch() {
        try (CoreHarness h = open(GROUP)) {
            h.setUpKeys("feeder-1");
        }
        try (CoreHarness h = open(GROUP.withMembers(List.of("m1", "m2")))) {
            GroupAnnouncement announcement = h.announcement("feeder-1");
            assertEquals(1, announcement.epoch());
            assertEquals(List.of("m1", "m2"), announcement.members());
            assertEquals(GroupPhase.KEY_SETUP, announcement.phase());
        }
    }

    @Test
    void aSecondChangeDuringKeySetupSupersedesTheUnfinishedEpoch() {
        try (CoreHarness h = open(GROUP)) {
            byte[] firstAnnouncement = h.announcement("feeder-1").toJson();
            h.core.reconfigure(GROUP.withMembers(List.of("m1", "m2")));
            assertEquals(1, h.announcement("feeder-1").epoch());
            TestMeter late = new TestMeter("m1", org.psametering.crypto.psa.PsaParameters.DEFAULT, CoreHarness.RANDOM);
            h.deliver(Topics.publicKey("feeder-1", 0, "m1"), late.publicKeyPayload(firstAnnouncement));
            assertEquals(1, h.core.rejections().get(RejectReason.WRONG_EPOCH));
            h.setUpKeys("feeder-1");
            assertEquals(GroupPhase.ACTIVE, h.announcement("feeder-1").phase());
            assertEquals(List.of(1L), h.core.statuses().get(0).collectingEpochs());
        }
    }

    @Test
    void ciphertextsBeforeActivationAreWrongEpoch() {
        try (CoreHarness h = open(GROUP)) {
            List<InboundMessage> none = new ArrayList<>();
            h.core.process(none);
            h.deliver(Topics.ciphertext("feeder-1", 0, "m1"), new byte[40]);
            assertEquals(1, h.core.rejections().get(RejectReason.WRONG_EPOCH));
        }
    }
}
