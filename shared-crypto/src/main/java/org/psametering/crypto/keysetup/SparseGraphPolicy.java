package org.psametering.crypto.keysetup;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The meter's own rules for a sparse mask graph (README section 13.4): the meter does not trust the head-end's choice
 * of threshold, recomputes its row from the signed announcement, and refuses what would leave it with too few honest
 * neighbours. Pure checks, no state: the caller counts and reports a refusal like its other refusals.
 *
 * @param security           the dishonest and missing fractions and the bound this meter assumes
 * @param minimumNeighbours  the fewest neighbours this meter accepts in its row
 * @param minimumReporting   the fewest reporting neighbours before it answers a recovery request
 */
public record SparseGraphPolicy(GraphParameters security, int minimumNeighbours, int minimumReporting) {

    /** Why a meter refuses a sparse graph, its key set or a recovery request. */
    public enum Refusal {
        /** the announced threshold gives a failure bound above 2^-securityBits for this N */
        SPARSE_GRAPH_TOO_WEAK,
        /** this meter's row has fewer neighbours than it requires */
        SPARSE_ROW_TOO_SMALL,
        /** the per-meter key set does not list exactly this meter's row (a neighbour missing or a stranger added) */
        SPARSE_KEYSET_MISMATCH,
        /** fewer of its neighbours report than it requires before it answers for missing ones */
        TOO_FEW_REPORTING_NEIGHBOURS
    }

    /** Thrown with the reason; the message never contains secrets. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        public RefusedException(Refusal refusal, String message) {
            super(refusal + ": " + message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public static final SparseGraphPolicy DEFAULT = new SparseGraphPolicy(GraphParameters.DEFAULT, 20, 10);

    public SparseGraphPolicy {
        Objects.requireNonNull(security, "security");
        if (minimumNeighbours < 1 || minimumReporting < 1 || minimumReporting > minimumNeighbours) {
            throw new IllegalArgumentException("need 1 <= minimumReporting <= minimumNeighbours");
        }
    }

    /**
     * Checks the announced graph and returns this meter's row (the member ids of its neighbours, ascending).
     *
     * @param members all members in sorted order (index i = i-th member)
     * @throws RefusedException SPARSE_GRAPH_TOO_WEAK or SPARSE_ROW_TOO_SMALL
     */
    public SortedSet<MeterId> acceptRow(MaskGraph graph, List<MeterId> members, MeterId self) {
        if (graph.size() != members.size()) {
            throw new IllegalArgumentException("graph of " + graph.size() + " members, member list of " + members.size());
        }
        if (!security.strongEnough(graph.size(), graph.threshold())) {
            throw new RefusedException(Refusal.SPARSE_GRAPH_TOO_WEAK, "threshold " + Long.toUnsignedString(graph.threshold())
                    + " (expected degree " + expectedDegree(graph) + ") is below the "
                    + Long.toUnsignedString(security.requiredThreshold(graph.size())) + " this meter requires for "
                    + graph.size() + " members");
        }
        int index = members.indexOf(self);
        if (index < 0) {
            throw new IllegalArgumentException("meter " + self + " is not a member");
        }
        int[] row = graph.row(index);
        if (row.length < minimumNeighbours) {
            throw new RefusedException(Refusal.SPARSE_ROW_TOO_SMALL, "row of " + self + " has " + row.length
                    + " neighbours, this meter requires " + minimumNeighbours);
        }
        SortedSet<MeterId> neighbours = new TreeSet<>();
        Arrays.stream(row).forEach(j -> neighbours.add(members.get(j)));
        return neighbours;
    }

    /** The key set sent to this meter must list exactly its row. */
    public void checkKeySet(Set<MeterId> row, Set<MeterId> received) {
        if (!row.equals(received)) {
            TreeSet<MeterId> missing = new TreeSet<>(row);
            missing.removeAll(received);
            TreeSet<MeterId> extra = new TreeSet<>(received);
            extra.removeAll(row);
            throw new RefusedException(Refusal.SPARSE_KEYSET_MISMATCH, "missing " + missing + ", not neighbours " + extra);
        }
    }

    /**
     * The missing meters this meter answers for: only its neighbours (the mask with a non-neighbour is zero), and only
     * if at least minimumReporting of its neighbours report. Otherwise a head-end could declare all neighbours but one
     * missing and learn, from the answer, the one remaining pairwise mask and so that neighbour's blinded share.
     *
     * @throws RefusedException TOO_FEW_REPORTING_NEIGHBOURS
     */
    public SortedSet<MeterId> answerFor(Set<MeterId> row, Collection<MeterId> missing) {
        SortedSet<MeterId> missingNeighbours = new TreeSet<>(missing);
        missingNeighbours.retainAll(row);
        int reporting = row.size() - missingNeighbours.size();
        if (reporting < minimumReporting) {
            throw new RefusedException(Refusal.TOO_FEW_REPORTING_NEIGHBOURS, reporting + " of " + row.size()
                    + " neighbours report, this meter requires " + minimumReporting);
        }
        return missingNeighbours;
    }

    private static String expectedDegree(MaskGraph graph) {
        return String.format("%.1f", GraphParameters.probability(graph.threshold()) * (graph.size() - 1));
    }
}
