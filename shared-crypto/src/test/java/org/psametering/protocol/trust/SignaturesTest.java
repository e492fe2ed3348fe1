package org.psametering.protocol.trust;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/** Bouncy Castle's verification agrees with the JDK's Ed25519 signatures, and refuses changes and foreign keys. */
class SignaturesTest {

    @Test
    void jdkSignaturesVerifyAndAnyChangeIsRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = "psa".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();
        assertTrue(Signatures.verify(keys.getPublic(), message, signature));
        byte[] changed = signature.clone();
        changed[5] ^= 1;
        assertFalse(Signatures.verify(keys.getPublic(), message, changed));
        assertFalse(Signatures.verify(keys.getPublic(), "psb".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(Signatures.verify(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic(), message, signature));
        assertFalse(Signatures.verify(KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic(), message, signature),
                "a key of another algorithm verifies nothing");
        assertFalse(Signatures.verify(keys.getPublic(), message, new byte[63]));
    }
}
