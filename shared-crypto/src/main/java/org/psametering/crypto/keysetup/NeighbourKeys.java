package org.psametering.crypto.keysetup;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.psametering.crypto.psa.GroupContext;

/**
 * One meter's view of a sparse group's key set (section 13): the group (its size is all N members), the meter's own
 * public key and its neighbours' public keys, as the head-end sends them to that meter only.
 */
public record NeighbourKeys(GroupContext group, MeterId self, AgreementPublicKey ownKey,
                            SortedMap<MeterId, AgreementPublicKey> neighbours) {

    public NeighbourKeys {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(ownKey, "ownKey");
        Objects.requireNonNull(neighbours, "neighbours");
        if (neighbours.containsKey(self)) {
            throw new IllegalArgumentException("meter " + self + " is listed as its own neighbour");
        }
        if (neighbours.size() >= group.groupSize()) {
            throw new IllegalArgumentException(neighbours.size() + " neighbours in a group of " + group.groupSize());
        }
        TreeMap<MeterId, AgreementPublicKey> copy = new TreeMap<>();
        neighbours.forEach((id, key) -> copy.put(Objects.requireNonNull(id, "meter id"),
                Objects.requireNonNull(key, "public key of " + id)));
        neighbours = Collections.unmodifiableSortedMap(copy);
    }

    /** The neighbour's public key; IllegalArgumentException if it is not a neighbour. */
    public AgreementPublicKey publicKeyOf(MeterId meter) {
        AgreementPublicKey key = neighbours.get(meter);
        if (key == null) {
            throw new IllegalArgumentException("meter " + meter + " is not a neighbour of " + self + " in group "
                    + group.groupId());
        }
        return key;
    }
}
