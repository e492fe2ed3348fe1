package org.psametering.crypto.dmcfe;

import java.util.Collection;
import java.util.Objects;
import org.psametering.crypto.dmcfe.pairing.G2Element;

/**
 * The decryptor's key for the sum: d = sum_i d_i = [sum_i s_i] in G2^2 (the T_i * v_y terms cancel). It decrypts
 * only the sum of all N readings per label.
 */
public final class DmcfeFunctionalKey {

    private final DmcfeGroup group;
    private final G2Element d0;
    private final G2Element d1;

    private DmcfeFunctionalKey(DmcfeGroup group, G2Element d0, G2Element d1) {
        this.group = group;
        this.d0 = d0;
        this.d1 = d1;
    }

    /** Combines exactly one share per client of {@code group}. */
    public static DmcfeFunctionalKey combine(DmcfeGroup group, Collection<DmcfeKeyShare> shares) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(shares, "shares");
        if (shares.size() != group.size()) {
            throw new IllegalArgumentException("need exactly one key share per client: group " + group.groupId()
                    + " has " + group.size() + " clients, got " + shares.size() + " shares");
        }
        boolean[] seen = new boolean[group.size()];
        G2Element d0 = null;
        G2Element d1 = null;
        for (DmcfeKeyShare share : shares) {
            group.checkClient(share.client());
            if (seen[share.client()]) {
                throw new IllegalArgumentException("two key shares from client " + share.client());
            }
            seen[share.client()] = true;
            d0 = d0 == null ? share.d0() : d0.add(share.d0());
            d1 = d1 == null ? share.d1() : d1.add(share.d1());
        }
        return new DmcfeFunctionalKey(group, d0, d1);
    }

    public DmcfeGroup group() {
        return group;
    }

    G2Element d0() {
        return d0;
    }

    G2Element d1() {
        return d1;
    }

    @Override
    public String toString() {
        return "DmcfeFunctionalKey[group=" + group.groupId() + ", <secret>]";
    }
}
