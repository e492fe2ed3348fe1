package org.psametering.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import org.psametering.protocol.trust.SigningIdentity;

/**
 * A signing identity that is the same in every run (an Ed25519 key from a seeded generator and placeholder certificate
 * bytes the frame codecs carry but do not parse), so committed fuzz seeds with signatures can be compared byte for byte.
 * Never for anything but test inputs.
 */
final class FixedIdentity {

    /** Not a certificate: a short DER SEQUENCE; the signed frames only carry it. */
    static final byte[] PLACEHOLDER_CERTIFICATE = {0x30, 0x03, 0x02, 0x01, 0x07};

    private FixedIdentity() {
    }

    static SigningIdentity of(int seed) {
        try {
            SecureRandom deterministic = SecureRandom.getInstance("SHA1PRNG");
            deterministic.setSeed(seed);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, deterministic);
            KeyPair keys = generator.generateKeyPair();
            return new SigningIdentity(keys.getPrivate(), PLACEHOLDER_CERTIFICATE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
