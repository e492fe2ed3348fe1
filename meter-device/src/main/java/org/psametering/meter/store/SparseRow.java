package org.psametering.meter.store;

import java.util.List;
import java.util.Objects;
import org.psametering.crypto.keysetup.GraphSpec;

/**
 * This meter's place in the sparse mask graph of one epoch (shared-crypto README section 13): the announced graph
 * (seed and threshold) and the ids of its neighbours in that graph, ascending. Kept in the state file because the
 * per-meter key set that arrives later (also after a restart) must list exactly these neighbours, and a recovery
 * answer is given only if enough of them report. The member list itself is not kept (up to 10 000 ids).
 *
 * @param spec       the signed announcement's {@code maskGraph}
 * @param neighbours this meter's row, as member ids (never itself)
 */
public record SparseRow(GraphSpec spec, List<String> neighbours) {

    public SparseRow {
        Objects.requireNonNull(spec, "spec");
        neighbours = List.copyOf(neighbours);
        for (int i = 1; i < neighbours.size(); i++) {
            if (neighbours.get(i - 1).compareTo(neighbours.get(i)) >= 0) {
                throw new IllegalArgumentException("neighbours must be ascending and unique");
            }
        }
    }
}
