package org.psametering.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The key that authenticates one meter's messages to the head-end within one epoch.
 *
 * <p>Derived with HKDF-SHA256 from the X25519 shared secret between the meter's epoch key pair and the head-end's
 * announcement key pair; the HKDF info binds group, epoch and meter, so a tag made for one (group, epoch, meter)
 * never verifies for another. Secret: never printed.
 */
public final class MessageKey {
    public static final int TAG_BYTES = 16;
    private static final byte[] SALT = "psa-metering/v1/message-key".getBytes(StandardCharsets.US_ASCII);

    /** The JDK's HMAC: its SHA-256 is a HotSpot intrinsic (SHA-NI, ARMv8 SHA2), ~4x Bouncy Castle's pure-Java digest on a 48 KiB blinded key. */
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final String MAC_PROVIDER = "SunJCE";

    private final Mac mac;
    private final byte[] tagBuffer = new byte[32];

    private MessageKey(byte[] key) {
        try {
            mac = Mac.getInstance(MAC_ALGORITHM, MAC_PROVIDER);
            mac.init(new SecretKeySpec(key, MAC_ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + MAC_ALGORITHM + " (" + MAC_PROVIDER + ") is unavailable", e);
        }
    }

    /**
     * @param sharedSecret 32-byte X25519 shared secret (not retained: the caller may wipe it afterwards)
     */
    public static MessageKey derive(byte[] sharedSecret, String group, long epoch, String meter) {
        if (sharedSecret == null || sharedSecret.length != 32) {
            throw new IllegalArgumentException("shared secret must be 32 bytes");
        }
        byte[] info = ("group=" + ProtocolIds.require("group id", group) + "\u0000epoch=" + epoch + "\u0000meter="
                + ProtocolIds.require("meter id", meter)).getBytes(StandardCharsets.US_ASCII);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, SALT, info));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        MessageKey messageKey = new MessageKey(key);
        Arrays.fill(key, (byte) 0);
        return messageKey;
    }

    /** Truncated HMAC-SHA256 over {@code data[off, off+len)}. */
    public synchronized byte[] tag(byte[] data, int off, int len) {
        mac.update(data, off, len);
        finish();
        return Arrays.copyOf(tagBuffer, TAG_BYTES);
    }

    /** Constant-time check of {@code tag} against the tag of {@code data[off, off+len)}. */
    public synchronized boolean verify(byte[] data, int off, int len, byte[] tag) {
        mac.update(data, off, len);
        finish();
        return tag.length == TAG_BYTES && MessageDigest.isEqual(Arrays.copyOf(tagBuffer, TAG_BYTES), tag);
    }

    private void finish() {
        try {
            mac.doFinal(tagBuffer, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // 32 bytes always hold an HMAC-SHA256
        }
    }

    @Override
    public String toString() {
        return "MessageKey[secret]";
    }
}
