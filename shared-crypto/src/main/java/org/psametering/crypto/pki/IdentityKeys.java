package org.psametering.crypto.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;

/** Long-term identity keys of meters, the head-end, the broker and the CA: Ed25519 (RFC 8032), from the JDK. */
public final class IdentityKeys {

    /** JCA name of the identity key and signature algorithm. */
    public static final String ALGORITHM = "Ed25519";

    private IdentityKeys() {}

    public static KeyPair generate(SecureRandom rnd) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(java.security.spec.NamedParameterSpec.ED25519, rnd);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (needs JDK 15+)", e);
        }
    }
}
