package org.psametering.crypto.keysetup;

import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.GroupContext;

/**
 * rho_i = sum over missing meters j of sgn(j, i) * mask_ij (sgn(j, i) = +1 if j's id is lower than i's, else -1): what
 * the missing meters' shares put on the pairs they form with meter i. Sum over the reporting meters of rho_i equals
 * the sum of the missing meters' shares (README section 11).
 *
 * <p>SECRET: it is made of pairwise masks. Only F(rho_i, t) for one label may leave the meter (see
 * org.psametering.crypto.recovery); the vector itself would let the head-end unblind the missing meters' keys.
 * {@link #wipe()} it after use. No getter: the recovery package reaches it through the internal accessor.
 */
public final class ResidualMask {

    static {
        SecretAccess.register(new SecretAccess.ResidualMasks() {
            @Override
            public ZqVector vector(ResidualMask mask) {
                return mask.vector;
            }
        });
    }

    private final MeterId meterId;
    private final GroupContext group;
    private final ZqVector vector;

    ResidualMask(MeterId meterId, GroupContext group, ZqVector vector) {
        this.meterId = Objects.requireNonNull(meterId, "meterId");
        this.group = Objects.requireNonNull(group, "group");
        this.vector = vector.requireDimension(group.params().n(), "residual mask");
    }

    public MeterId meterId() {
        return meterId;
    }

    public GroupContext group() {
        return group;
    }

    /** Overwrites the vector; the mask must not be used afterwards. */
    public void wipe() {
        vector.wipe();
    }

    @Override
    public String toString() {
        return "ResidualMask[meter=" + meterId + ", group=" + group.groupId() + ", epoch=" + group.epoch()
                + ", secret]";
    }
}
