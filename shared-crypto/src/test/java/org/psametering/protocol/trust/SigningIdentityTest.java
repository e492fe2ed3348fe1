package org.psametering.protocol.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SigningIdentity} signs with Bouncy Castle; the bytes must be the JDK provider's (Ed25519 is deterministic). */
class SigningIdentityTest {

    @Test
    void signaturesAreTheJdkProvidersBytes() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        Random random = new Random(7);
        for (int k = 0; k < 8; k++) {
            KeyPair pair = generator.generateKeyPair();
            SigningIdentity identity = new SigningIdentity(pair.getPrivate(), new byte[] {1});
            for (int length : new int[] {0, 1, 63, 64, 200, 150_000}) {
                byte[] message = new byte[length];
                random.nextBytes(message);
                byte[] signature = identity.sign(message);
                assertArrayEquals(jdkSign(pair.getPrivate(), message), signature, "key " + k + ", " + length + " bytes");
                assertTrue(Signatures.verify(pair.getPublic(), message, signature));
            }
        }
    }

    private static byte[] jdkSign(PrivateKey key, byte[] message) throws Exception {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update(message);
        return signature.sign();
    }
}
