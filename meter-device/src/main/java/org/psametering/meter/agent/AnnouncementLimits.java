package org.psametering.meter.agent;

import java.util.Objects;
import org.psametering.crypto.keysetup.GraphParameters;

/**
 * How far a meter believes a group announcement (config {@code group.maxMembers}, {@code group.maxEpochAdvance},
 * {@code group.sparse.*}). Without signatures anyone who can publish on the announce topic can send one; these bounds
 * keep a single bogus retained message from making the meter do absurd work or pinning it to an epoch the head-end
 * will never run.
 *
 * @param maxMembers      largest member list accepted (the key set and the blinding work grow with it)
 * @param maxEpochAdvance how far above the newest active epoch a new epoch number may be
 * @param sparseGraph     the assumptions (dishonest and missing fractions, security bits) under which this meter
 *                        accepts a sparse mask graph, and the fewest neighbours it masks with (shared-crypto README
 *                        section 13.3); also decides how many reporting neighbours it requires before a recovery answer
 * @param minimumRow      fewest neighbours accepted in a sparse graph ({@code sparseGraph.minimumRowSize()} by default)
 */
public record AnnouncementLimits(int maxMembers, long maxEpochAdvance, GraphParameters sparseGraph, int minimumRow) {

    /** Ten thousand members is far above any feeder group; sixteen epochs covers re-keys missed while offline. */
    public static final AnnouncementLimits DEFAULT = new AnnouncementLimits(10_000, 16);

    /** With the default sparse-graph assumptions ({@link GraphParameters#DEFAULT}: 10 %, 10 %, 2^-80; 35 neighbours). */
    public AnnouncementLimits(int maxMembers, long maxEpochAdvance) {
        this(maxMembers, maxEpochAdvance, GraphParameters.DEFAULT, GraphParameters.DEFAULT.minimumRowSize());
    }

    public AnnouncementLimits {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be at least 1, was " + maxMembers);
        }
        if (maxEpochAdvance < 1) {
            throw new IllegalArgumentException("maxEpochAdvance must be at least 1, was " + maxEpochAdvance);
        }
        Objects.requireNonNull(sparseGraph, "sparseGraph");
        if (minimumRow < 1) {
            throw new IllegalArgumentException("the minimum sparse row must be at least 1, was " + minimumRow);
        }
    }

    /**
     * Other sparse-graph assumptions, with their own minimum row. Weaker than the default only in simulations and tests
     * of small groups (as {@code group.minMembers} is lowered there), never by default.
     */
    public AnnouncementLimits withSparseGraph(GraphParameters parameters) {
        return new AnnouncementLimits(maxMembers, maxEpochAdvance, parameters, parameters.minimumRowSize());
    }

    /** Whether these sparse-graph assumptions are weaker than the default ones (logged as a WARN at start). */
    boolean weakerSparseGraphThanDefault() {
        GraphParameters d = GraphParameters.DEFAULT;
        return sparseGraph.securityBits() < d.securityBits() || sparseGraph.dishonest() < d.dishonest()
                || sparseGraph.missing() < d.missing() || minimumRow < d.minimumRowSize();
    }
}
