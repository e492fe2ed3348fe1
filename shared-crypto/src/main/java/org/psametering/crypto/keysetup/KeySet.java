package org.psametering.crypto.keysetup;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.psametering.crypto.psa.GroupContext;

/** Every member's X25519 public key for one group and epoch, as the head-end distributes it. */
public record KeySet(GroupContext group, SortedMap<MeterId, AgreementPublicKey> members) {

    public KeySet {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(members, "members");
        if (members.size() != group.groupSize()) {
            throw new IllegalArgumentException("key set for group " + group.groupId() + " has " + members.size()
                    + " members, group size is " + group.groupSize());
        }
        TreeMap<MeterId, AgreementPublicKey> copy = new TreeMap<>();
        members.forEach((id, key) -> copy.put(Objects.requireNonNull(id, "meter id"),
                Objects.requireNonNull(key, "public key of " + id)));
        members = Collections.unmodifiableSortedMap(copy);
    }

    public boolean contains(MeterId meter) {
        return members.containsKey(meter);
    }

    /** The member's public key; IllegalArgumentException if it is not a member. */
    public AgreementPublicKey publicKeyOf(MeterId meter) {
        AgreementPublicKey key = members.get(meter);
        if (key == null) {
            throw new IllegalArgumentException("meter " + meter + " is not a member of group " + group.groupId());
        }
        return key;
    }
}
