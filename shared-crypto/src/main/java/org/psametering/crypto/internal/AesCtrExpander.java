package org.psametering.crypto.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-CTR keystream via the JDK provider, whose counter mode is a HotSpot intrinsic (AES-NI), which makes it
 * several times faster than SHAKE128 in pure Java. The keystream is the encryption of zeros.
 */
final class AesCtrExpander implements VectorExpander {

    private static final IvParameterSpec ZERO_COUNTER = new IvParameterSpec(new byte[16]);
    /** Plaintext of the keystream; only ever read. */
    private static final byte[] ZEROS = new byte[4096];

    private final Cipher cipher;
    private boolean started;

    AesCtrExpander() {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks AES/CTR/NoPadding", e);
        }
    }

    @Override
    public void start(byte[] seed) {
        VectorExpander.requireSeed(seed);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), ZERO_COUNTER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR key setup failed", e);
        }
        started = true;
    }

    @Override
    public void next(byte[] out, int offset, int length) {
        if (!started) {
            throw new IllegalStateException("next() before start()");
        }
        if (offset < 0 || length < 0 || out.length - offset < length) {
            throw new IllegalArgumentException("output too short for " + length + " bytes at offset " + offset);
        }
        // from a shared zero block into the output, never in place: the JDK copies overlapping in-place input into a
        // fresh array, which for a whole vector meant tens of kilobytes of garbage per call
        try {
            for (int done = 0; done < length; ) {
                int chunk = Math.min(ZEROS.length, length - done);
                int written = cipher.update(ZEROS, 0, chunk, out, offset + done);
                if (written != chunk) {
                    throw new IllegalStateException("AES-CTR produced " + written + " of " + chunk + " bytes");
                }
                done += chunk;
            }
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output too short for " + length + " bytes", e);
        }
    }

    @Override
    public String name() {
        return "AES-256-CTR";
    }
}
