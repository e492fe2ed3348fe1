package org.psametering.crypto.keysetup;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.GroupContext;

/** The head-end's side of the key setup: K = sum of all members' blinded keys (the masks cancel). */
public final class AggregationKeys {

    private AggregationKeys() {
    }

    /**
     * @throws IllegalArgumentException unless blinded holds exactly one key per member of keySet, all for its group
     */
    public static AggregationKey combine(KeySet keySet, Collection<BlindedKey> blinded) {
        Objects.requireNonNull(keySet, "keySet");
        Objects.requireNonNull(blinded, "blinded");
        GroupContext group = keySet.group();
        Set<MeterId> seen = new HashSet<>();
        ZqVector sum = ZqVector.zero(group.params().n());
        for (BlindedKey key : blinded) {
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
            if (!seen.add(key.meterId())) {
                throw new IllegalArgumentException("two blinded keys from " + key.meterId());
            }
            sum.add(SecretAccess.blindedKeys().vector(key));
        }
        if (seen.size() != keySet.members().size()) {
            Set<MeterId> missing = new HashSet<>(keySet.members().keySet());
            missing.removeAll(seen);
            throw new IllegalArgumentException("missing blinded keys from " + missing.size() + " member(s), e.g. "
                    + missing.stream().sorted().limit(5).toList());
        }
        return SecretAccess.aggregationKeys().create(group.params(), sum);
    }
}
