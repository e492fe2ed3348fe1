package org.psametering.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reproducible "randomness" for tests and known-answer vectors: the AES-256-CTR keystream (zero initial counter) under
 * key SHA-256(UTF-8 label). Fast enough to draw keys for ten thousand meters. Never use outside tests.
 */
public final class DeterministicRandom extends SecureRandom {

    private final transient Cipher cipher;

    public DeterministicRandom(String label) {
        super(new byte[0]);
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        if (cipher == null) {
            return; // called by the SecureRandom constructor before this class is initialised
        }
        java.util.Arrays.fill(bytes, (byte) 0);
        byte[] stream = cipher.update(bytes);
        System.arraycopy(stream, 0, bytes, 0, bytes.length);
    }

    @Override
    public synchronized void setSeed(byte[] seed) {
        // deterministic by design: seeding is ignored
    }

    @Override
    public synchronized void setSeed(long seed) {
    }
}
