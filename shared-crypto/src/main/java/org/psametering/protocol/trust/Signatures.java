package org.psametering.protocol.trust;

import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) verification, the identity keys' only signature algorithm, with Bouncy Castle's RFC 8032 code:
 * a meter verifies one signature per member and epoch (1 000 for a 1 000-member group), and Bouncy Castle's
 * verification is several times faster than the JDK provider's (see {@code ./psa bench crypto SignedKeySetup}).
 */
public final class Signatures {

    /** JCA name of the algorithm. */
    public static final String ALGORITHM = "Ed25519";
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    private Signatures() {
    }

    /** True iff {@code signature} is a valid Ed25519 signature of {@code message} under {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        byte[] raw = rawKey(key);
        if (raw == null) {
            return false; // e.g. a certificate whose key is not Ed25519: no signature of ours verifies under it
        }
        try {
            return Ed25519.verify(signature, 0, raw, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** The 32-byte public key inside an Ed25519 key's X.509 encoding, or null if it is not one. */
    static byte[] rawKey(PublicKey key) {
        byte[] encoded = key == null ? null : key.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return null;
        }
        return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    }
}
