package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.recovery.RefusalReason;
import org.psametering.meter.store.EpochPhase;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.Topics;

/**
 * Thirty meters in a sparse-graph group (shared-crypto README section 13) with a head-end written in the test: every
 * meter blinds over its neighbours only, K decrypts the exact sum, a step with missing meters is recovered exactly,
 * and meters restarted from their state files mid-setup and after ACTIVE carry on.
 */
class SparseGroupTest {

    private static final int N = 30;

    @TempDir
    Path tmp;

    @Test
    void thirtyMetersBlindOverTheirNeighboursAndTheHeadEndGetsTheExactSum() {
        SparseGroupHarness h = new SparseGroupHarness(N, null);
        long from = h.setUpEpoch(1);
        for (String id : h.ids) {
            EpochState epoch = h.member(id).agent.state().epoch(1).orElseThrow();
            assertEquals(EpochPhase.ACTIVE, epoch.phase(), id);
            assertEquals(h.neighbours(1, id), epoch.sparseRow().orElseThrow().neighbours(), id + " saved its row");
        }
        assertTrue(h.ids.stream().anyMatch(id -> h.neighbours(1, id).size() < N - 1), "the graph is not complete");
        h.stepTo(from);
        h.step(i -> 100 + 7L * i);
        assertEquals(N, h.ciphertexts(1, from).size());
        assertEquals(h.trueSum(from, Set.of()), h.aggregate(1, from));
        assertEquals(N * 100 + 7 * (N - 1) * N / 2, h.aggregate(1, from));
    }

    @Test
    void aStepWithThreeMissingMetersIsRecoveredExactly() {
        SparseGroupHarness h = new SparseGroupHarness(N, null);
        long from = h.setUpEpoch(1);
        h.stepTo(from);
        Set<String> missing = new TreeSet<>(List.of("m-03", "m-17", "m-26"));
        h.skipping.addAll(missing);
        h.step(i -> 1_000 + i);
        h.skipping.clear();
        assertEquals(N - 3, h.ciphertexts(1, from).size());

        h.requestRecovery(1, from, missing);
        assertEquals(h.trueSum(from, missing), h.recover(1, from, missing), "the exact sum over the 27 reporting meters");
        for (String id : missing) {
            assertEquals(1, h.member(id).agent.stats().recoveryRefused(RefusalReason.SELF_LISTED_MISSING.name()), id);
        }
        String reporting = "m-00";
        assertEquals(1, h.member(reporting).agent.stats().recoveryAnswers());
        assertTrue(h.member(reporting).agent.state().epoch(1).orElseThrow().lastRecovery().isPresent(),
                "the answered request is saved");
    }

    @Test
    void aMeterRefusesARecoveryThatListsTooManyOfItsNeighboursAsMissing() {
        SparseGroupHarness h = new SparseGroupHarness(N, null);
        long from = h.setUpEpoch(1);
        h.stepTo(from);
        h.step(i -> 50);
        String me = "m-05";
        List<String> row = h.neighbours(1, me);
        int required = SparseGroupHarness.GRAPH.minimumReportingNeighbours(row.size());
        // all but required - 1 of its neighbours "missing": the reporting ones might all collude with the head-end
        Set<String> missing = new TreeSet<>(row.subList(0, row.size() - required + 1));
        h.requestRecovery(1, from, missing);
        GroupHarness.Member m = h.member(me);
        assertTrue(m.outbound.on(Topics.recoveryAnswer(SparseGroupHarness.GROUP, 1, me)).isEmpty(), "no answer");
        assertEquals(1, m.agent.stats().recoveryRefused(RecoveryAnswerer.LocalRefusal.TOO_FEW_REPORTING_NEIGHBOURS.name()));
        assertTrue(m.agent.state().epoch(1).orElseThrow().lastRecovery().isEmpty(), "nothing answered, nothing saved");

        // one neighbour fewer missing (at the next label): enough reporting neighbours, it answers
        Set<String> fewer = new TreeSet<>(missing);
        fewer.remove(row.get(0));
        h.step(i -> 50);
        h.requestRecovery(1, from + 1, fewer);
        assertEquals(1, m.agent.stats().recoveryAnswers());
    }

    @Test
    void metersRestartedFromTheirStateFilesMidSetupAndAfterActiveCarryOn() {
        SparseGroupHarness h = new SparseGroupHarness(N, tmp);
        h.announce(1);
        // m-04 restarts in KEY_SETUP: its row comes from the state file, the retained announcement changes nothing
        GroupHarness.Member early = h.member("m-04");
        byte[] publicKey = early.outbound.on(Topics.publicKey(SparseGroupHarness.GROUP, 1, "m-04")).get(0).payload();
        h.start(early);
        assertEquals(h.neighbours(1, "m-04"), early.agent.state().epoch(1).orElseThrow().sparseRow().orElseThrow().neighbours());
        h.redeliverRetained(early);
        h.sendKeySets(1);
        List<RecordingOutbound.Sent> pubkeys = early.outbound.on(Topics.publicKey(SparseGroupHarness.GROUP, 1, "m-04"));
        assertArrayEquals(publicKey, pubkeys.get(pubkeys.size() - 1).payload(), "the same key pair after the restart");

        // m-09 restarts after its blinded key left: the redelivered per-meter key set re-sends the same bytes
        GroupHarness.Member sent = h.member("m-09");
        byte[] blinded = sent.outbound.on(Topics.blindedKey(SparseGroupHarness.GROUP, 1, "m-09")).get(0).payload();
        h.start(sent);
        assertEquals(EpochPhase.BLINDED_SENT, sent.agent.state().epoch(1).orElseThrow().phase());
        h.redeliverRetained(sent);
        List<RecordingOutbound.Sent> again = sent.outbound.on(Topics.blindedKey(SparseGroupHarness.GROUP, 1, "m-09"));
        assertEquals(2, again.size());
        assertArrayEquals(blinded, again.get(1).payload(), "the same blinded key again");

        h.collectBlinded(1);
        long from = h.activate(1);
        h.stepTo(from);
        h.step(i -> 10 + i);
        assertEquals(h.trueSum(from, Set.of()), h.aggregate(1, from));

        // m-21 restarts after ACTIVE: it keeps encrypting, and answers a recovery with the redelivered neighbour keys
        GroupHarness.Member late = h.member("m-21");
        h.start(late);
        h.redeliverRetained(late);
        late.agent.tick(); // a restarted meter starts tracking the step in progress
        Set<String> missing = Set.of("m-02");
        h.skipping.addAll(missing);
        h.step(i -> 20 + i);
        h.skipping.clear();
        h.requestRecovery(1, from + 1, missing);
        assertEquals(h.trueSum(from + 1, missing), h.recover(1, from + 1, missing));
        assertEquals(1, late.agent.stats().recoveryAnswers(), "the restarted meter answered");
    }

    @Test
    void theDefaultsRefuseThirtyMembersAsTooSmallARow() {
        // the lowered assumptions are the test's configuration only: with the defaults a 30-member graph is refused
        assertEquals(GraphParameters.DEFAULT, AnnouncementLimits.DEFAULT.sparseGraph());
        assertEquals(35, AnnouncementLimits.DEFAULT.minimumRow());
        assertTrue(SparseGroupHarness.LIMITS.weakerSparseGraphThanDefault());
        assertTrue(!AnnouncementLimits.DEFAULT.weakerSparseGraphThanDefault());
    }
}
