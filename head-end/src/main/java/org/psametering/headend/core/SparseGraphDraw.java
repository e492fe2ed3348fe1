package org.psametering.headend.core;

import java.security.SecureRandom;

import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.MaskGraph;

/**
 * Draws the sparse mask graph of a new epoch (shared-crypto README section 13.1): a fresh 32-byte seed and the
 * threshold {@link GraphParameters#requiredThreshold} prescribes for the member count.
 *
 * <p>A drawn graph whose smallest row is below {@link GraphParameters#minimumRowSize()} is drawn again (up to
 * {@link #MAX_DRAWS} times), because every meter refuses a row that small (section 13.3) and the key setup would
 * stall. That is seed grinding by the head-end; section 13.2 bounds it: choosing among 2^t seeds gives a failing
 * graph with probability at most 2^(t - 80), here t = 4. In practice a second draw is rare (a row below 35 at
 * N = 10 000 is five standard deviations below the expected 80).
 */
public final class SparseGraphDraw {
    /** At most this many seeds per epoch (2^4: four bits of grinding, well inside section 13.2's margin). */
    public static final int MAX_DRAWS = 16;

    /** A drawn graph and its rows (neighbour indices per member, ascending), computed once for the key sets. */
    public record Drawn(GraphSpec spec, int[][] rows) {
    }

    private SparseGraphDraw() {
    }

    /** @throws IllegalStateException if no threshold meets the bound or no draw gives every member enough neighbours */
    public static Drawn draw(String group, long epoch, int members, GraphParameters parameters, SecureRandom random) {
        long threshold = parameters.requiredThreshold(members);
        if (threshold == -1L) {
            throw new IllegalStateException("group " + group + ": no sparse graph of " + members
                    + " members meets the security bound of shared-crypto README 13.2");
        }
        int minimumRow = parameters.minimumRowSize();
        int smallest = 0;
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            byte[] seed = new byte[MaskGraph.SEED_BYTES];
            random.nextBytes(seed);
            GraphSpec spec = new GraphSpec(seed, threshold);
            int[][] rows = rows(spec, group, epoch, members);
            smallest = Integer.MAX_VALUE;
            for (int[] row : rows) {
                smallest = Math.min(smallest, row.length);
            }
            if (smallest >= minimumRow) {
                return new Drawn(spec, rows);
            }
        }
        throw new IllegalStateException("group " + group + ": " + MAX_DRAWS + " sparse graphs of " + members
                + " members all had a row below the meters' minimum of " + minimumRow + " neighbours (last: " + smallest + ")");
    }

    /** Every member's row of the graph (each pair evaluated once: N(N - 1)/2 AES blocks, {@link MaskGraph#rows()}). */
    public static int[][] rows(GraphSpec spec, String group, long epoch, int members) {
        return MaskGraph.of(spec, group, epoch, members).rows();
    }
}
