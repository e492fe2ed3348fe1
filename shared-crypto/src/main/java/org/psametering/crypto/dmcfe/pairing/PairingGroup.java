package org.psametering.crypto.dmcfe.pairing;

import java.math.BigInteger;

/**
 * An asymmetric (type-3) pairing e: G1 x G2 -> GT on groups of prime order r.
 *
 * <p>The DMCFE scheme is written against this interface only, so the pairing library (today Milagro's
 * BLS12-381) can be replaced without touching the scheme. Implementations are immutable and thread-safe.
 */
public interface PairingGroup {

    /** Short curve name, e.g. "BLS12-381"; part of documented encodings and reports. */
    String name();

    /** The prime order r of G1, G2 and GT; scalars are taken mod r. */
    BigInteger order();

    G1Element g1Generator();

    G2Element g2Generator();

    /** e(g1, g2), the base of the "sum in the exponent" that decryption must take a discrete log of. */
    GtElement gtGenerator();

    GtElement gtIdentity();

    /**
     * Hashes {@code message} onto G1 (a random oracle; nobody knows the point's discrete log).
     * {@code domain} separates the uses of the hash; it must not be empty.
     */
    G1Element hashToG1(byte[] domain, byte[] message);

    /** As {@link #hashToG1} for G2. */
    G2Element hashToG2(byte[] domain, byte[] message);

    /**
     * The product of pairings prod_i e(a[i], b[i]), computed with one shared final exponentiation, which is
     * what makes a DMCFE decryption cost about one pairing more than a single pairing.
     */
    GtElement pairingProduct(G1Element[] a, G2Element[] b);

    /** Length in bytes of {@link G1Element#toBytes()}. */
    int g1EncodedLength();

    /** Length in bytes of {@link G2Element#toBytes()}. */
    int g2EncodedLength();

    /**
     * Parses a G1 element from {@link G1Element#toBytes()}; rejects wrong lengths, points off the curve, outside the
     * order-r subgroup, and the identity with an {@link IllegalArgumentException}.
     */
    G1Element decodeG1(byte[] encoded);

    /** As {@link #decodeG1} for G2. */
    G2Element decodeG2(byte[] encoded);
}
