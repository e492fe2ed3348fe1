package org.psametering.crypto.dmcfe;

import java.math.BigInteger;
import java.util.Objects;
import org.psametering.crypto.dmcfe.internal.DomainHashes;
import org.psametering.crypto.dmcfe.pairing.G2Element;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/** Derives a client's functional-key share for the sum (y = (1, ..., 1)). */
public final class DmcfeKeyShares {

    private DmcfeKeyShares() {
    }

    public static DmcfeKeyShare derive(DmcfeClientSecret secret) {
        Objects.requireNonNull(secret, "secret");
        DmcfeGroup group = secret.group();
        PairingGroup curve = group.curve();
        G2Element[] v = DomainHashes.sumFunctionPoints(curve, group.groupId(), group.size());
        G2Element[] d = new G2Element[2];
        for (int k = 0; k < 2; k++) {
            // y_i = 1, so the s_i term is s_i[k] * g2
            d[k] = curve.g2Generator().multiply(secret.s(k))
                    .add(v[0].multiply(secret.t(k, 0)))
                    .add(v[1].multiply(secret.t(k, 1)));
        }
        return new DmcfeKeyShare(secret.index(), d[0], d[1]);
    }
}
