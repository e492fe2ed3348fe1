package org.psametering.crypto.dmcfe;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Client i's secret: s_i in Z_r^2 (masks its ciphertexts) and T_i in Z_r^{2x2} (masks its key shares, with
 * sum_i T_i = 0 over the group). Secret: never logged, never in toString; only {@link DmcfeEncryptor} and
 * {@link DmcfeKeyShares} read it.
 */
public final class DmcfeClientSecret {

    /** Bytes of the secret as scalars: 2 + 4 elements of Z_r, 32 bytes each. */
    public static final int SCALAR_BYTES = 6 * 32;

    private final DmcfeGroup group;
    private final int index;
    private final BigInteger[] s;
    private final BigInteger[][] t;

    DmcfeClientSecret(DmcfeGroup group, int index, BigInteger[] s, BigInteger[][] t) {
        this.group = Objects.requireNonNull(group, "group");
        group.checkClient(index);
        this.index = index;
        this.s = s.clone();
        this.t = new BigInteger[][] {t[0].clone(), t[1].clone()};
    }

    public DmcfeGroup group() {
        return group;
    }

    public int index() {
        return index;
    }

    BigInteger s(int k) {
        return s[k];
    }

    BigInteger t(int row, int column) {
        return t[row][column];
    }

    /** A copy with T_i replaced: lets tests model a client whose key setup went wrong. */
    DmcfeClientSecret withT(BigInteger[][] otherT) {
        return new DmcfeClientSecret(group, index, s, otherT);
    }

    @Override
    public String toString() {
        return "DmcfeClientSecret[group=" + group.groupId() + ", client=" + index + ", <secret>]";
    }
}
