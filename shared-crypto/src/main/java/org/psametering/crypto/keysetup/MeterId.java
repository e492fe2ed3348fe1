package org.psametering.crypto.keysetup;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A meter's identity inside a group. Ordered by the string's characters (all ASCII, so this is byte order), which
 * decides which meter of a pair adds the pairwise mask and which subtracts it.
 */
public record MeterId(String value) implements Comparable<MeterId> {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public MeterId {
        Objects.requireNonNull(value, "meter id");
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException("meter id must match [A-Za-z0-9._-]{1,64}: '" + value + "'");
        }
    }

    @Override
    public int compareTo(MeterId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
