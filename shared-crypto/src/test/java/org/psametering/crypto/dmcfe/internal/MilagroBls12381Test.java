package org.psametering.crypto.dmcfe.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.dmcfe.pairing.G1Element;
import org.psametering.crypto.dmcfe.pairing.G2Element;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

class MilagroBls12381Test {

    private final PairingGroup curve = MilagroBls12381.INSTANCE;
    private final Random random = new Random(7);

    @Test
    void pairingIsBilinear() {
        BigInteger a = new BigInteger(200, random);
        BigInteger b = new BigInteger(200, random);
        GtElement left = curve.pairingProduct(
                new G1Element[] {curve.g1Generator().multiply(a)}, new G2Element[] {curve.g2Generator().multiply(b)});
        GtElement right = curve.gtGenerator().pow(1);
        // e(aP, bQ) = e(P, Q)^(ab): check through the inverse, e(aP, bQ) * e(-abP, Q) = 1
        GtElement cancelled = curve.pairingProduct(
                new G1Element[] {curve.g1Generator().multiply(a), curve.g1Generator().multiply(a.multiply(b)).negate()},
                new G2Element[] {curve.g2Generator().multiply(b), curve.g2Generator()});
        assertEquals(curve.gtIdentity(), cancelled);
        assertNotEquals(curve.gtIdentity(), left);
        assertEquals(curve.gtGenerator(), right);
    }

    @Test
    void smallPowersOfTheGeneratorMatchPairingsOfMultiples() {
        GtElement viaPairing = curve.pairingProduct(new G1Element[] {curve.g1Generator().multiply(BigInteger.valueOf(12))},
                new G2Element[] {curve.g2Generator()});
        assertEquals(curve.gtGenerator().pow(12), viaPairing);
        assertEquals(curve.gtGenerator().pow(12).fingerprint(), viaPairing.fingerprint());
        assertEquals(curve.gtIdentity(), curve.gtGenerator().multiply(curve.gtGenerator().inverse()));
    }

    @Test
    void fingerprintIsCanonicalAcrossDifferentComputations() {
        GtElement g = curve.gtGenerator();
        GtElement stepped = curve.gtIdentity();
        for (int i = 0; i < 37; i++) {
            stepped = stepped.multiply(g);
        }
        GtElement viaInverse = g.pow(40).multiply(g.pow(3).inverse());
        assertEquals(g.pow(37).fingerprint(), stepped.fingerprint());
        assertEquals(stepped.fingerprint(), viaInverse.fingerprint());
        assertNotEquals(g.pow(36).fingerprint(), stepped.fingerprint());
    }

    @Test
    void encodingsRoundTripAndRejectJunk() {
        G1Element p = curve.g1Generator().multiply(new BigInteger(250, random));
        G2Element q = curve.g2Generator().multiply(new BigInteger(250, random));
        assertEquals(curve.g1EncodedLength(), p.toBytes().length);
        // many points: Milagro keeps coordinates lazily reduced, so a parity or encoding taken from an unreduced
        // value would fail for some of them only
        G1Element sumP = p;
        G2Element sumQ = q;
        for (int i = 0; i < 40; i++) {
            assertEquals(sumP, curve.decodeG1(sumP.toBytes()), "G1 point " + i);
            assertEquals(sumP.hashCode(), curve.decodeG1(sumP.toBytes()).hashCode());
            assertArrayEquals(sumP.toBytes(), curve.decodeG1(sumP.toBytes()).toBytes());
            sumP = sumP.add(p).add(sumP);
            if (i % 4 == 0) {
                assertEquals(sumQ, curve.decodeG2(sumQ.toBytes()), "G2 point " + i);
                assertArrayEquals(sumQ.toBytes(), curve.decodeG2(sumQ.toBytes()).toBytes());
                sumQ = sumQ.add(q).add(sumQ);
            }
        }

        byte[] flipped = p.toBytes();
        flipped[20] ^= 1;
        byte[] wrongLength = new byte[curve.g1EncodedLength() - 1];
        byte[] badQ = q.toBytes();
        badQ[100] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> curve.decodeG1(wrongLength));
        assertThrows(IllegalArgumentException.class, () -> decodeEither(flipped));
        assertThrows(IllegalArgumentException.class, () -> curve.decodeG2(badQ));
    }

    /** A flipped x either is off the curve or off the subgroup; both must be rejected. */
    private void decodeEither(byte[] encoded) {
        curve.decodeG1(encoded);
    }

    @Test
    void hashToCurveSeparatesDomainsAndMessages() {
        byte[] m = "label".getBytes(StandardCharsets.US_ASCII);
        G1Element a = curve.hashToG1("d1".getBytes(StandardCharsets.US_ASCII), m);
        G1Element b = curve.hashToG1("d2".getBytes(StandardCharsets.US_ASCII), m);
        G1Element a2 = curve.hashToG1("d1".getBytes(StandardCharsets.US_ASCII), m);
        assertEquals(a, a2);
        assertNotEquals(a, b);
        // the hashed point lies in the prime-order subgroup, so it survives the strict decoder
        assertEquals(a, curve.decodeG1(a.toBytes()));
        G2Element q = curve.hashToG2("d1".getBytes(StandardCharsets.US_ASCII), m);
        assertEquals(q, curve.decodeG2(q.toBytes()));
        assertTrue(curve.order().isProbablePrime(40));
        assertThrows(IllegalArgumentException.class, () -> curve.hashToG1(new byte[0], m));
    }
}
