package org.psametering.crypto.dmcfe.pairing;

import java.math.BigInteger;

/** An immutable element of G1 (written additively). Elements of different {@link PairingGroup}s do not mix. */
public interface G1Element {

    G1Element add(G1Element other);

    G1Element negate();

    /** {@code scalar} times this element; the scalar is reduced mod r, negative values allowed. */
    G1Element multiply(BigInteger scalar);

    boolean isIdentity();

    /** The group's canonical (compressed) encoding, {@link PairingGroup#g1EncodedLength()} bytes. */
    byte[] toBytes();
}
