package org.psametering.protocol;

/**
 * Payload of {@code psa/v1/{group}/{epoch}/ct/{meter}}: the shared-crypto wire encoding of one ciphertext, sealed in
 * a {@link SealedFrame} (type 1) under the meter's {@link MessageKey}.
 *
 * <p>Typical use on the head-end: {@code parse(bytes)} (framing), look up the key of the topic's meter,
 * {@code verify(key)}, then decode {@link #ciphertextEncoding()} with shared-crypto's {@code Encodings}.
 */
public final class CiphertextMessage {
    private static final String WHAT = "ciphertext";
    private final byte[] frame;
    private final int bodyLength;

    private CiphertextMessage(byte[] frame, int bodyLength) {
        this.frame = frame;
        this.bodyLength = bodyLength;
    }

    /** Meter side: seals a ciphertext encoding; returns the MQTT payload. */
    public static byte[] seal(byte[] ciphertextEncoding, MessageKey key) {
        return SealedFrame.seal(SealedFrame.TYPE_CIPHERTEXT, ciphertextEncoding, key);
    }

    /** Checks version, type and lengths (not the tag); throws {@link MalformedMessageException}. */
    public static CiphertextMessage parse(byte[] payload) {
        int bodyLength = SealedFrame.checkFrame(SealedFrame.TYPE_CIPHERTEXT, WHAT, payload);
        return new CiphertextMessage(payload.clone(), bodyLength);
    }

    /** Throws {@link ForgedMessageException} unless the tag verifies under {@code key}. */
    public CiphertextMessage verify(MessageKey key) {
        SealedFrame.verify(frame, bodyLength, WHAT, key);
        return this;
    }

    /** The ciphertext's wire encoding (only meaningful after {@link #verify}). */
    public byte[] ciphertextEncoding() {
        return SealedFrame.body(frame, bodyLength);
    }

    @Override
    public String toString() {
        return "CiphertextMessage[" + frame.length + " bytes]";
    }
}
