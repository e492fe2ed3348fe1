package org.psametering.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with SHA-256 (RFC 5869) over the JDK's HmacSHA256, whose SHA-256 is a HotSpot intrinsic (SHA extensions):
 * the key setup derives one pairwise seed per neighbour, and Bouncy Castle's pure-Java SHA-256 cost more than a
 * third of each mask expansion. Same bytes as Bouncy Castle's {@code HKDFBytesGenerator} with {@code SHA256Digest}
 * (tested against it); one {@link Mac} per thread, since a Mac is not thread-safe and its lookup is not free.
 */
public final class HkdfSha256 {

    private static final int HASH_BYTES = 32;
    private static final byte[] NO_SALT = new byte[HASH_BYTES];
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    });

    private HkdfSha256() {
    }

    /**
     * HKDF-Extract then HKDF-Expand to {@code length} bytes (at most 255 * 32).
     *
     * @param salt null or empty for none (RFC 5869: a string of 32 zero bytes)
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        Objects.requireNonNull(ikm, "ikm");
        Objects.requireNonNull(info, "info");
        if (length < 0 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 0.." + 255 * HASH_BYTES + ", was " + length);
        }
        Mac mac = MAC.get();
        byte[] prk = null;
        byte[] block = new byte[HASH_BYTES];
        try {
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? NO_SALT : salt, "HmacSHA256"));
            prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            for (int done = 0, counter = 1; done < length; counter++) {
                if (counter > 1) {
                    mac.update(block); // T(i) = HMAC(PRK, T(i-1) || info || i)
                }
                mac.update(info);
                mac.update((byte) counter);
                mac.doFinal(block, 0);
                int take = Math.min(HASH_BYTES, length - done);
                System.arraycopy(block, 0, out, done, take);
                done += take;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 failed", e);
        } finally {
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
            Arrays.fill(block, (byte) 0);
        }
    }
}
