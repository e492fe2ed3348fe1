package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MemberState;
import org.psametering.headend.membership.MemberView;
import org.psametering.headend.membership.MembershipEvent;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * Automatic membership over the real core and database (no broker): a member absent for {@code dropAfterMissedSteps}
 * results in a row is left out of a new epoch, a dropped member whose ciphertext is refused comes back in a later
 * one, the rate limit and the {@code minMembers} floor hold, and the state survives a restart.
 */
class MembershipTest {
    private static final int STEP = 60;
    private static final String G = "feeder-1";
    private static final List<String> SIX = List.of("m1", "m2", "m3", "m4", "m5", "m6");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    private static GroupSettings group(int dropAfter, int minRekeySeconds, int minMembers) {
        return new GroupSettings(G, PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP, SIX)
                .withMembershipPolicy(dropAfter, minRekeySeconds, minMembers);
    }

    private CoreHarness open(GroupSettings settings) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, settings);
    }

    /** Sends the label's ciphertexts of every meter but {@code absent}, then ticks past its deadline. */
    private static long stepWithout(CoreHarness h, long epoch, long label, Map<String, TestMeter> meters, String absent) {
        Map<String, TestMeter> present = new LinkedHashMap<>(meters);
        present.remove(absent);
        h.clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
        long sum = h.sendStep(G, epoch, label, present, 100 + label % 50);
        h.clock.set(Instant.ofEpochSecond((label + 1) * STEP + 11));
        h.core.tick();
        return sum;
    }

    private static MemberView member(CoreHarness h, String meter) {
        return snapshot(h).members().stream().filter(m -> m.meter().equals(meter)).findFirst().orElseThrow();
    }

    private static GroupMembership.Snapshot snapshot(CoreHarness h) {
        return h.core.memberships().stream().filter(s -> s.group().equals(G)).findFirst().orElseThrow();
    }

    private static StepResult result(CoreHarness h, long label) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    @Test
    void absentMemberIsDroppedInANewEpochAndReadmittedOnceItPublishesAgain() {
        try (CoreHarness h = open(group(3, 0, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            long label = h.announcement(G).activeFromLabel().orElseThrow();
            for (int i = 0; i < 2; i++, label++) {
                stepWithout(h, 0, label, meters, "m6");
                assertEquals(i + 1, member(h, "m6").consecutiveMisses());
            }
            assertEquals(0, h.announcement(G).epoch(), "two misses are below dropAfterMissedSteps=3");
            stepWithout(h, 0, label++, meters, "m6");

            GroupAnnouncement rekey = h.announcement(G);
            assertEquals(1, rekey.epoch());
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), rekey.members());
            assertEquals(MemberState.DROPPED, member(h, "m6").state());
            MembershipEvent drop = snapshot(h).log().getLast();
            assertEquals(MembershipEvent.Change.DROPPED, drop.change());
            assertEquals("m6", drop.meter());
            assertEquals(1, drop.epoch());

            // the five run epoch 1; the old epoch keeps collecting until it takes over
            Map<String, TestMeter> five = h.setUpKeys(G);
            long switchLabel = h.announcement(G).activeFromLabel().orElseThrow();
            for (; label < switchLabel; label++) {
                stepWithout(h, 0, label, meters, "m6");
            }
            long sum = stepWithout(h, 1, switchLabel, five, "none");
            assertEquals(ResultStatus.COMPLETE, result(h, switchLabel).status());
            assertEquals(sum, result(h, switchLabel).sum().getAsLong(), "exact sum over the five active members");

            // m6 is back, still on epoch 0: refused, and the refusal is the sign of life
            long rejectedBefore = h.core.rejections().snapshot().getOrDefault(RejectReason.WRONG_EPOCH, 0L);
            h.deliver(Topics.ciphertext(G, 0, "m6"), meters.get("m6").ciphertextPayload(switchLabel + 1, 5));
            assertEquals(rejectedBefore + 1, h.core.rejections().snapshot().get(RejectReason.WRONG_EPOCH));
            assertEquals(MemberState.PENDING_READMISSION, member(h, "m6").state());
            h.core.tick();

            GroupAnnouncement back = h.announcement(G);
            assertEquals(2, back.epoch());
            assertEquals(SIX, back.members());
            assertEquals(MemberState.ACTIVE, member(h, "m6").state());
            assertEquals(MembershipEvent.Change.READMITTED, snapshot(h).log().getLast().change());

            Map<String, TestMeter> all = h.setUpKeys(G);
            long again = h.announcement(G).activeFromLabel().orElseThrow();
            long total = stepWithout(h, 2, again, all, "none");
            assertEquals(total, result(h, again).sum().getAsLong(), "exact sum with the re-admitted member");
        }
    }

    @Test
    void reKeysWaitForTheMinimumInterval() {
        try (CoreHarness h = open(group(1, 3600, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            long label = h.announcement(G).activeFromLabel().orElseThrow();
            stepWithout(h, 0, label++, meters, "m6");
            assertEquals(1, h.announcement(G).epoch(), "first drop: no re-key before it, nothing to wait for");
            Instant dropped = snapshot(h).log().getLast().at();
            h.setUpKeys(G);
            long switchLabel = h.announcement(G).activeFromLabel().orElseThrow();
            for (; label < switchLabel; label++) {
                stepWithout(h, 0, label, meters, "m6");
            }

            h.clock.set(Instant.ofEpochSecond(switchLabel * STEP + 5));
            h.deliver(Topics.ciphertext(G, 0, "m6"), meters.get("m6").ciphertextPayload(switchLabel, 5));
            h.core.tick();
            assertEquals(MemberState.PENDING_READMISSION, member(h, "m6").state());
            assertEquals(1, h.announcement(G).epoch(), "re-admission waits for minRekeyIntervalSeconds");
            assertEquals(dropped.plusSeconds(3600), snapshot(h).nextRekeyNotBefore().orElseThrow());

            h.clock.set(dropped.plusSeconds(3599));
            h.core.tick();
            assertEquals(1, h.announcement(G).epoch());
            h.clock.set(dropped.plusSeconds(3600));
            h.core.tick();
            assertEquals(2, h.announcement(G).epoch());
            assertEquals(SIX, h.announcement(G).members());
        }
    }

    @Test
    void neverDropsBelowMinMembers() {
        try (CoreHarness h = open(group(1, 0, 6))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            long label = h.announcement(G).activeFromLabel().orElseThrow();
            stepWithout(h, 0, label, meters, "m6");
            stepWithout(h, 0, label + 1, meters, "m6");
            assertEquals(0, h.announcement(G).epoch(), "six members, minMembers 6: nobody can go");
            MemberView m6 = member(h, "m6");
            assertEquals(MemberState.ACTIVE, m6.state());
            assertEquals(2, m6.consecutiveMisses());
            assertTrue(m6.keptByFloor());
            assertTrue(snapshot(h).log().isEmpty());
        }
    }

    @Test
    void aLateReportClearsTheMissesAndALabelCountsOnce() {
        try (CoreHarness h = open(group(3, 0, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            long label = h.announcement(G).activeFromLabel().orElseThrow();
            stepWithout(h, 0, label, meters, "m6");
            stepWithout(h, 0, label + 1, meters, "m6");
            assertEquals(2, member(h, "m6").consecutiveMisses());
            // its ciphertext for the second step arrives late: the INCOMPLETE becomes COMPLETE, and m6 was not absent
            h.deliver(Topics.ciphertext(G, 0, "m6"), meters.get("m6").ciphertextPayload(label + 1, 9));
            assertEquals(ResultStatus.COMPLETE, result(h, label + 1).status());
            assertEquals(0, member(h, "m6").consecutiveMisses());
            assertEquals(label + 1, member(h, "m6").lastReportedLabel().getAsLong());
            stepWithout(h, 0, label + 2, meters, "m6");
            assertEquals(1, member(h, "m6").consecutiveMisses());
            assertEquals(0, h.announcement(G).epoch());
        }
    }

    @Test
    void aDropSurvivesARestartAndAbsencesAreCountedAgainFromStoredResults() {
        long label;
        try (CoreHarness h = open(group(2, 0, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            label = h.announcement(G).activeFromLabel().orElseThrow();
            stepWithout(h, 0, label, meters, "m6");
            stepWithout(h, 0, label + 1, meters, "m6");
            assertEquals(1, h.announcement(G).epoch());
            stepWithout(h, 0, label + 2, meters, "m5");
            assertEquals(1, member(h, "m5").consecutiveMisses());
        }
        try (CoreHarness h = open(group(2, 0, 5))) {
            assertEquals(1, h.announcement(G).epoch(), "the restart continues epoch 1, it starts no other");
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), h.announcement(G).members());
            assertEquals(MemberState.DROPPED, member(h, "m6").state());
            assertEquals(1, member(h, "m5").consecutiveMisses(), "replayed from the stored results");
            assertEquals(1, snapshot(h).log().size());
        }
    }

    @Test
    void configuredMembersAddedAndRemovedAreLoggedAndReKeyAtOnce() {
        try (CoreHarness h = open(group(0, 3600, 5))) {
            h.setUpKeys(G);
            GroupSettings changed = new GroupSettings(G, PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP,
                    List.of("m1", "m2", "m3", "m4", "m5", "m7")).withMembershipPolicy(0, 3600, 5);
            h.core.reconfigure(changed);
            GroupAnnouncement rekey = h.announcement(G);
            assertEquals(1, rekey.epoch(), "an operator's change is not rate-limited");
            assertEquals(changed.members(), rekey.members());
            List<MembershipEvent> log = snapshot(h).log();
            assertEquals(List.of(MembershipEvent.Change.ADDED, MembershipEvent.Change.REMOVED), log.stream().map(MembershipEvent::change).toList());
            assertEquals(List.of("m7", "m6"), log.stream().map(MembershipEvent::meter).toList());
            assertFalse(snapshot(h).members().stream().anyMatch(m -> m.meter().equals("m6")));
        }
    }

    @Test
    void aMemberThatHoldsUpAStalledReKeyIsDroppedAndComesBackWhenItPublishes() {
        List<String> five = SIX.subList(0, 5);
        GroupSettings settings = new GroupSettings(G, PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP, five, 600)
                .withMembershipPolicy(3, 0, 5);
        try (CoreHarness h = open(settings)) {
            h.setUpKeys(G);
            // the operator adds m6, which is not installed yet: the five answer the new setup, m6 never does
            h.core.reconfigure(settings.withMembers(SIX));
            GroupAnnouncement announced = h.announcement(G);
            assertEquals(1, announced.epoch());
            for (String id : five) {
                TestMeter meter = new TestMeter(id, PsaParameters.KHPRF_2021, CoreHarness.RANDOM);
                h.deliver(Topics.publicKey(G, 1, id), meter.publicKeyPayload(announced.toJson()));
            }
            h.core.tick();
            Instant setupSeen = h.clock.instant();
            // epoch 0 keeps collecting meanwhile (steps nobody reported count for no one)
            h.clock.set(setupSeen.plusSeconds(599));
            h.core.tick();
            assertEquals(1, h.announcement(G).epoch(), "the setup has not stalled yet");
            h.clock.set(setupSeen.plusSeconds(600));
            h.core.tick();

            GroupAnnouncement without = h.announcement(G);
            assertEquals(2, without.epoch());
            assertEquals(five, without.members());
            MembershipEvent drop = snapshot(h).log().getLast();
            assertEquals("m6", drop.meter());
            assertEquals(MembershipEvent.Change.DROPPED, drop.change());
            assertTrue(drop.reason().contains("key setup of epoch 1"), drop.reason());

            // m6 turns up and answers the announcement it saw: not a member of epoch 2, refused, and re-admitted
            TestMeter late = new TestMeter("m6", PsaParameters.KHPRF_2021, CoreHarness.RANDOM);
            h.deliver(Topics.publicKey(G, 2, "m6"), late.publicKeyPayload(without.toJson()));
            assertEquals(1L, h.core.rejections().snapshot().get(RejectReason.UNKNOWN_METER));
            h.core.tick();
            assertEquals(3, h.announcement(G).epoch());
            assertEquals(SIX, h.announcement(G).members());
            Map<String, TestMeter> all = h.setUpKeys(G);
            long first = h.announcement(G).activeFromLabel().orElseThrow();
            long sum = stepWithout(h, 3, first, all, "none");
            assertEquals(sum, result(h, first).sum().getAsLong());
        }
    }

    @Test
    void aGroupsFirstKeySetupWaitsForEveryMember() {
        GroupSettings settings = new GroupSettings(G, PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP, SIX, 600)
                .withMembershipPolicy(3, 0, 5);
        try (CoreHarness h = open(settings)) {
            byte[] json = h.announcement(G).toJson();
            for (String id : SIX.subList(0, 5)) {
                h.deliver(Topics.publicKey(G, 0, id), new TestMeter(id, PsaParameters.KHPRF_2021, CoreHarness.RANDOM).publicKeyPayload(json));
            }
            h.core.tick();
            h.clock.advance(java.time.Duration.ofSeconds(3600));
            h.core.tick();
            assertEquals(0, h.announcement(G).epoch(), "no older epoch to fall back on: nobody is dropped");
            assertTrue(h.core.statuses().getFirst().keySetupStalledSince().isPresent());
        }
    }

    @Test
    void anEpochStartThatFailsAfterTheDropWasJournaledIsRetriedAtTheNextTick() {
        try (CoreHarness h = open(group(1, 0, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            long label = h.announcement(G).activeFromLabel().orElseThrow();
            h.faults.fail("INSERT INTO psa_epoch ", () -> new java.sql.SQLException("disk full (simulated)"));
            stepWithout(h, 0, label, meters, "m6");
            assertEquals(MemberState.DROPPED, member(h, "m6").state(), "the drop is journaled");
            assertEquals(0, h.announcement(G).epoch(), "its epoch could not be stored");
            assertFalse(h.core.storageHealth().healthy());

            h.faults.heal();
            h.core.tick();
            assertEquals(1, h.announcement(G).epoch());
            assertEquals(SIX.subList(0, 5), h.announcement(G).members());
            assertEquals(1, snapshot(h).log().size(), "one drop, journaled once");
        }
    }

    @Test
    void metricsCountMembersByState() {
        try (CoreHarness h = open(group(1, 0, 5))) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            stepWithout(h, 0, h.announcement(G).activeFromLabel().orElseThrow(), meters, "m6");
            HeadEndMetrics metrics = new HeadEndMetrics(h.core.rejections(), h.core.counters(), h.core::statuses,
                    () -> new org.psametering.headend.mqtt.LinkStatus(true, true, null, 0, 0, 0, 0));
            metrics.memberships(h.core::memberships);
            String scrape = metrics.scrape();
            assertTrue(scrape.contains("psa_members{state=\"ACTIVE\"} 5.0"), scrape);
            assertTrue(scrape.contains("psa_members{state=\"DROPPED\"} 1.0"), scrape);
            assertTrue(scrape.contains("psa_members{state=\"PENDING_READMISSION\"} 0.0"), scrape);
        }
    }
}
