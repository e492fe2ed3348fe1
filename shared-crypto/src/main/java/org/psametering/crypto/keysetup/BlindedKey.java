package org.psametering.crypto.keysetup;

import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.GroupContext;

/**
 * k_i + share_i: a meter's key blinded by its share of an N-out-of-N sharing of zero. Alone it reveals nothing about
 * k_i; the sum over the whole group is K. Send it only to the head-end (a peer that knows the pairwise masks could
 * unblind it).
 */
public final class BlindedKey {

    static {
        SecretAccess.register(new SecretAccess.BlindedKeys() {
            @Override
            public ZqVector vector(BlindedKey key) {
                return key.vector;
            }

            @Override
            public BlindedKey create(MeterId meter, GroupContext group, ZqVector vector) {
                return new BlindedKey(meter, group, vector);
            }
        });
    }

    private final MeterId meterId;
    private final GroupContext group;
    private final ZqVector vector;

    private BlindedKey(MeterId meterId, GroupContext group, ZqVector vector) {
        this.meterId = Objects.requireNonNull(meterId, "meterId");
        this.group = Objects.requireNonNull(group, "group");
        if (vector.dimension() != group.params().n()) {
            throw new IllegalArgumentException("blinded key dimension " + vector.dimension() + " does not match n = "
                    + group.params().n());
        }
        this.vector = vector;
    }

    public MeterId meterId() {
        return meterId;
    }

    public GroupContext group() {
        return group;
    }

    @Override
    public String toString() {
        return "BlindedKey[meter=" + meterId + ", group=" + group.groupId() + ", epoch=" + group.epoch() + "]";
    }
}
