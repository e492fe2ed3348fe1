package org.psametering.crypto.psa;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The aggregation group a key belongs to: the group id and key epoch are bound into H(t) and into the pairwise masks,
 * so keys and ciphertexts of different groups or epochs never combine.
 */
public record GroupContext(String groupId, long epoch, int groupSize, PsaParameters params) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public GroupContext {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(params, "params");
        if (!ID.matcher(groupId).matches()) {
            throw new IllegalArgumentException("group id must match [A-Za-z0-9._-]{1,64}: '" + groupId + "'");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be positive, got " + groupSize);
        }
        params.maxReading(groupSize); // rejects a group too large for the parameter set
    }

    /** Largest reading one meter of this group may encrypt. */
    public long maxReading() {
        return params.maxReading(groupSize);
    }
}
