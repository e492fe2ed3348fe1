package org.psametering.meter.agent;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.protocol.GroupAnnouncement;

/**
 * The meter's own check of a sparse mask graph (shared-crypto README section 13.3): it recomputes its row from the
 * signed announcement and refuses a threshold below what its own assumptions (gamma, delta, kappa) require for the
 * announced member count, or a row with fewer neighbours than its minimum. The graph protects this meter, so the
 * meter decides, not the head-end.
 */
final class SparseGraphCheck {

    /** This meter's neighbours in the announced graph (ids in member order). */
    record Row(MaskGraph graph, int selfIndex, List<String> neighbours) {
    }

    private final String meterId;
    private final GraphParameters parameters;
    private final int minimumRow;

    SparseGraphCheck(String meterId, GraphParameters parameters) {
        this(meterId, parameters, parameters.minimumRowSize());
    }

    SparseGraphCheck(String meterId, GraphParameters parameters, int minimumRow) {
        if (minimumRow < 1) {
            throw new IllegalArgumentException("minimum row size must be at least 1, got " + minimumRow);
        }
        this.meterId = meterId;
        this.parameters = parameters;
        this.minimumRow = minimumRow;
    }

    /** @throws RefusedAnnouncement SPARSE_GRAPH_TOO_WEAK or SPARSE_ROW_TOO_SMALL */
    Row row(GroupAnnouncement a) {
        GraphSpec spec = a.maskGraph().orElseThrow(() -> new IllegalArgumentException("not a sparse announcement"));
        int n = a.members().size();
        long required = parameters.requiredThreshold(n);
        if (Long.compareUnsigned(spec.threshold(), required) < 0) {
            throw new RefusedAnnouncement(AnnouncementRefusal.SPARSE_GRAPH_TOO_WEAK, "epoch " + a.epoch()
                    + ": sparse graph threshold " + Long.toUnsignedString(spec.threshold()) + " is below the "
                    + Long.toUnsignedString(required) + " this meter requires for " + n + " members");
        }
        int self = a.members().indexOf(meterId);
        if (self < 0) {
            throw new RefusedAnnouncement(AnnouncementRefusal.NOT_A_MEMBER, "not a member of epoch " + a.epoch());
        }
        MaskGraph graph = MaskGraph.of(spec, a.group(), a.epoch(), n);
        int[] row = graph.row(self);
        if (row.length < minimumRow) {
            throw new RefusedAnnouncement(AnnouncementRefusal.SPARSE_ROW_TOO_SMALL, "epoch " + a.epoch() + ": "
                    + row.length + " neighbours in the sparse graph, this meter requires at least " + minimumRow);
        }
        return new Row(graph, self, Arrays.stream(row).mapToObj(a.members()::get).toList());
    }

    /**
     * Whether a per-meter key set lists exactly this meter's neighbours: a missing neighbour would leave a mask
     * unadded (K wrong), an extra one would add a mask the other end never subtracts.
     *
     * @return null if it matches, else what differs (for the refusal's message)
     */
    static String mismatch(Row row, Set<String> received) {
        return mismatch(row.neighbours(), received);
    }

    /** As {@link #mismatch(Row, Set)} with the row's neighbours as saved in the state file. */
    static String mismatch(List<String> row, Set<String> received) {
        Set<String> expected = new TreeSet<>(row);
        if (expected.equals(received)) {
            return null;
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(received);
        Set<String> extra = new TreeSet<>(received);
        extra.removeAll(expected);
        return missing.size() + " neighbour(s) missing, " + extra.size() + " not in this meter's row";
    }

    /**
     * Section 13.4 (TOO_FEW_REPORTING_NEIGHBOURS): whether this meter may answer a recovery request whose missing
     * meters are missing: at least minimumReportingNeighbours(|row|) of its neighbours must be listed as reporting,
     * so that one of them is honest whatever set the head-end claims is missing (else its answer, with the masks the
     * colluders know, would give F(k_i, t)). Called by the RecoveryAnswerer before it answers on a sparse graph.
     *
     * @return null if it may answer, else the refusal's detail
     */
    String tooFewReportingNeighbours(Row row, Set<String> missing) {
        return tooFewReportingNeighbours(parameters, row.neighbours(), missing);
    }

    /** As {@link #tooFewReportingNeighbours(Row, Set)} for a saved row under the given assumptions. */
    static String tooFewReportingNeighbours(GraphParameters parameters, java.util.Collection<String> row, Set<String> missing) {
        int reporting = 0;
        for (String neighbour : row) {
            if (!missing.contains(neighbour)) {
                reporting++;
            }
        }
        int required = parameters.minimumReportingNeighbours(row.size());
        return reporting >= required ? null
                : reporting + " of " + row.size() + " neighbours reporting, this meter requires " + required;
    }
}
