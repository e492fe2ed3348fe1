package org.psametering.headend.config;

import java.util.Locale;

import org.psametering.crypto.keysetup.GraphParameters;

/**
 * A group's {@code maskGraph} setting (shared-crypto README section 13): which pairs of members mask each other.
 * {@code complete} = every pair (section 5); {@code sparse} = the sparse graph {@code mask-graph/v1}, O(log N)
 * neighbours per meter; {@code auto} (the default) = complete up to {@link GraphParameters#COMPLETE_GRAPH_DEFAULT_UP_TO}
 * members, sparse above. Decided per epoch from that epoch's (active) member count.
 */
public enum MaskGraphOption {
    COMPLETE, SPARSE, AUTO;

    /**
     * The fewest members a sparse epoch may have. Below it the required edge probability is above one half (the
     * sparse graph saves little), and the meters' minimum of {@link GraphParameters#minimumRowSize()} = 35 neighbours
     * would refuse too many rows: at N = 100 the expected row is 52.6, and a row below 35 is 3.5 standard deviations
     * away.
     */
    public static final int SPARSE_MIN_MEMBERS = 100;

    /** The configuration's spelling: complete, sparse or auto (null: auto). */
    public static MaskGraphOption parse(String group, String value) {
        if (value == null) {
            return AUTO;
        }
        return switch (value) {
            case "complete" -> COMPLETE;
            case "sparse" -> SPARSE;
            case "auto" -> AUTO;
            default -> throw new ConfigException("group " + group + ": maskGraph must be complete, sparse or auto, got '"
                    + value + "'");
        };
    }

    /** Whether an epoch of {@code members} members uses the sparse graph under this option. */
    public boolean sparseFor(int members) {
        return switch (this) {
            case COMPLETE -> false;
            // an explicit sparse group that lost members below the minimum (drops for absence) masks completely
            // for that epoch: the meters would refuse its rows, and the complete graph is cheap at that size
            case SPARSE -> members >= SPARSE_MIN_MEMBERS;
            case AUTO -> members > GraphParameters.COMPLETE_GRAPH_DEFAULT_UP_TO;
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
