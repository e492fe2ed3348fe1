package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.meter.store.MeterState;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;

/** The meter's checks of a sparse mask graph (shared-crypto README section 13.3). */
class SparseGraphCheckTest {

    private static final int N = 300;
    private static final String ME = String.format("m-%05d", 17);

    private static GroupAnnouncement announcement(long threshold) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            members.add(String.format("m-%05d", i));
        }
        byte[] seed = new byte[32];
        seed[31] = 1;
        byte[] headEndKey = new byte[34];
        headEndKey[0] = 0x02;
        headEndKey[1] = 0x01;
        headEndKey[2] = 9;
        return new GroupAnnouncement("g", 4, "lwr-3072-q128-p85", 60, members, headEndKey, GroupPhase.KEY_SETUP,
                OptionalLong.empty(), Optional.of(new GraphSpec(seed, threshold)));
    }

    @Test
    void aThresholdBelowTheMetersOwnRequirementIsRefused() {
        long required = GraphParameters.DEFAULT.requiredThreshold(N);
        RefusedAnnouncement e = assertThrows(RefusedAnnouncement.class,
                () -> new SparseGraphCheck(ME, GraphParameters.DEFAULT).row(announcement(required - 1)));
        assertEquals(AnnouncementRefusal.SPARSE_GRAPH_TOO_WEAK, e.reason());
    }

    @Test
    void aRowBelowTheMinimumIsRefused() {
        // a weak test configuration accepts the threshold; the row of ~15 neighbours is below a minimum of 200
        GraphParameters weak = new GraphParameters(0.1, 0.1, 10);
        long threshold = weak.requiredThreshold(N);
        RefusedAnnouncement e = assertThrows(RefusedAnnouncement.class,
                () -> new SparseGraphCheck(ME, weak, 200).row(announcement(threshold)));
        assertEquals(AnnouncementRefusal.SPARSE_ROW_TOO_SMALL, e.reason());
    }

    @Test
    void anAcceptedRowIsTheGraphsRowAndTheKeySetMustListExactlyIt() {
        long threshold = GraphParameters.DEFAULT.requiredThreshold(N);
        GroupAnnouncement a = announcement(threshold);
        SparseGraphCheck.Row row = new SparseGraphCheck(ME, GraphParameters.DEFAULT).row(a);
        int[] expected = MaskGraph.of(a.maskGraph().orElseThrow(), "g", 4, N).row(17);
        assertEquals(Arrays.stream(expected).mapToObj(i -> String.format("m-%05d", i)).toList(), row.neighbours());
        assertTrue(row.neighbours().size() >= GraphParameters.DEFAULT.minimumRowSize());

        Set<String> exact = new TreeSet<>(row.neighbours());
        assertNull(SparseGraphCheck.mismatch(row, exact));
        Set<String> missingOne = new TreeSet<>(exact);
        missingOne.remove(row.neighbours().get(0));
        assertEquals("1 neighbour(s) missing, 0 not in this meter's row", SparseGraphCheck.mismatch(row, missingOne));
        Set<String> extra = new TreeSet<>(exact);
        extra.add(ME);
        assertEquals("0 neighbour(s) missing, 1 not in this meter's row", SparseGraphCheck.mismatch(row, extra));
    }

    @Test
    void theAnnouncementCheckAppliesTheGraphChecksAndReturnsTheRow() {
        AnnouncementCheck check = new AnnouncementCheck(ME, "g", AnnouncementLimits.DEFAULT);
        MeterState fresh = MeterState.fresh(ME, "g");
        long required = GraphParameters.DEFAULT.requiredThreshold(N);
        assertEquals(AnnouncementRefusal.SPARSE_GRAPH_TOO_WEAK, assertThrows(RefusedAnnouncement.class,
                () -> check.check(announcement(required / 2), fresh)).reason());
        assertEquals(new SparseGraphCheck(ME, GraphParameters.DEFAULT).row(announcement(required)).neighbours(),
                check.check(announcement(required), fresh).orElseThrow().neighbours());
    }

    @Test
    void recoveryNeedsEnoughReportingNeighbours() {
        GroupAnnouncement a = announcement(GraphParameters.DEFAULT.requiredThreshold(N));
        SparseGraphCheck check = new SparseGraphCheck(ME, GraphParameters.DEFAULT);
        SparseGraphCheck.Row row = check.row(a);
        int required = GraphParameters.DEFAULT.minimumReportingNeighbours(row.neighbours().size());
        assertTrue(required <= row.neighbours().size(), "a full row may answer");
        assertNull(check.tooFewReportingNeighbours(row, Set.of()));
        // all but required - 1 neighbours claimed missing: refused; one fewer missing: allowed
        Set<String> missing = new TreeSet<>(row.neighbours().subList(0, row.neighbours().size() - required + 1));
        assertEquals((required - 1) + " of " + row.neighbours().size() + " neighbours reporting, this meter requires "
                + required, check.tooFewReportingNeighbours(row, missing));
        missing.remove(row.neighbours().get(0));
        assertNull(check.tooFewReportingNeighbours(row, missing));
    }
}
