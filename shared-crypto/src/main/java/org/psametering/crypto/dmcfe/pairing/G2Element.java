package org.psametering.crypto.dmcfe.pairing;

import java.math.BigInteger;

/** An immutable element of G2 (written additively). */
public interface G2Element {

    G2Element add(G2Element other);

    G2Element negate();

    /** {@code scalar} times this element; the scalar is reduced mod r, negative values allowed. */
    G2Element multiply(BigInteger scalar);

    boolean isIdentity();

    /** The group's canonical encoding, {@link PairingGroup#g2EncodedLength()} bytes. */
    byte[] toBytes();
}
