package org.psametering.crypto.keysetup;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.GroupContext;

/**
 * The head-end's K = sum of all members' blinded keys, folded in one key at a time as they arrive, so that a group's
 * key setup holds one vector instead of every member's blinded key (100 members of 48 KiB each, for every group).
 * The same construction as {@link AggregationKeys#combine}; only the order of the additions differs (Z_q is abelian).
 *
 * <p>Holds a secret partial sum: not thread-safe, {@link #wipe()} when done.
 */
public final class BlindedKeySum {
    private final KeySet keySet;
    private final GroupContext group;
    private final Set<MeterId> seen = new HashSet<>();
    private final ZqVector sum;

    public BlindedKeySum(KeySet keySet) {
        this.keySet = Objects.requireNonNull(keySet, "keySet");
        this.group = keySet.group();
        this.sum = ZqVector.zero(group.params().n());
    }

    /**
     * Adds a member's blinded key.
     *
     * @throws IllegalArgumentException if it is for another group or epoch, from a non-member, or the member's second
     */
    public void add(BlindedKey key) {
        check(key);
        seen.add(key.meterId());
        sum.add(SecretAccess.blindedKeys().vector(key));
    }

    /** Members added so far. */
    public int count() {
        return seen.size();
    }

    /** True once every member of the key set was added. */
    public boolean complete() {
        return seen.size() == keySet.members().size();
    }

    /** K, once every member was added. */
    public AggregationKey aggregationKey() {
        if (!complete()) {
            Set<MeterId> missing = new HashSet<>(keySet.members().keySet());
            missing.removeAll(seen);
            throw new IllegalArgumentException("missing blinded keys from " + missing.size() + " member(s), e.g. "
                    + missing.stream().sorted().limit(5).toList());
        }
        return SecretAccess.aggregationKeys().create(group.params(), sum.copy());
    }

    /**
     * K if {@code last} were added, without adding it (a caller stores the key before it applies it).
     *
     * @throws IllegalArgumentException if {@code last} is not acceptable or does not complete the set
     */
    public AggregationKey aggregationKeyWith(BlindedKey last) {
        check(last);
        if (seen.size() + 1 != keySet.members().size()) {
            throw new IllegalArgumentException("missing blinded keys from " + (keySet.members().size() - seen.size() - 1)
                    + " member(s) besides " + last.meterId());
        }
        ZqVector total = sum.copy();
        total.add(SecretAccess.blindedKeys().vector(last));
        return SecretAccess.aggregationKeys().create(group.params(), total);
    }

    /** Overwrites the partial sum; nothing may be added afterwards. */
    public void wipe() {
        sum.wipe();
        seen.clear();
    }

    private void check(BlindedKey key) {
        Objects.requireNonNull(key, "blinded key");
        if (!key.group().equals(group)) {
            throw new IllegalArgumentException("blinded key of " + key.meterId() + " is for group "
                    + key.group().groupId() + " epoch " + key.group().epoch() + ", combining "
                    + group.groupId() + " epoch " + group.epoch());
        }
        if (!keySet.contains(key.meterId())) {
            throw new IllegalArgumentException("blinded key from " + key.meterId() + ", who is not a member of "
                    + group.groupId());
        }
        if (seen.contains(key.meterId())) {
            throw new IllegalArgumentException("two blinded keys from " + key.meterId());
        }
    }
}
