package org.psametering.protocol.trust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Ed25519 (RFC 8032) verification from the JDK: the identity keys' only signature algorithm. */
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
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // e.g. a certificate whose key is not Ed25519: no signature of ours verifies under it
        }
    }
}
