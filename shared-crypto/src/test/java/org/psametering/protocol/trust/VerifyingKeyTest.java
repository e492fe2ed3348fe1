package org.psametering.protocol.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/** The precomputed point verifies exactly what verifying with the encoded key does. */
class VerifyingKeyTest {

    @Test
    void agreesWithTheEncodedKeyOnValidAndChangedSignatures() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        VerifyingKey key = VerifyingKey.of(keys.getPublic()).orElseThrow();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        for (int i = 0; i < 20; i++) {
            byte[] message = ("step " + i).getBytes(StandardCharsets.UTF_8);
            signer.update(message);
            byte[] signature = signer.sign();
            assertTrue(key.verify(message, signature));
            byte[] changed = signature.clone();
            changed[i % 64] ^= (byte) (1 << (i % 8));
            assertEquals(Signatures.verify(keys.getPublic(), message, changed), key.verify(message, changed));
            assertFalse(key.verify(message, changed));
            assertFalse(key.verify(("step " + (i + 1)).getBytes(StandardCharsets.UTF_8), signature));
        }
        assertFalse(key.verify(new byte[1], new byte[63]));
        assertFalse(key.verify(new byte[1], null));
    }

    @Test
    void anotherKeyVerifiesNothingAndForeignAlgorithmsAreNoKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(new byte[] {1});
        byte[] signature = signer.sign();
        VerifyingKey other = VerifyingKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()).orElseThrow();
        assertFalse(other.verify(new byte[] {1}, signature));
        assertTrue(VerifyingKey.of(KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic()).isEmpty());
    }
}
