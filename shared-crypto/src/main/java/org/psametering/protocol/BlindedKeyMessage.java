package org.psametering.protocol;

/**
 * Payload of {@code psa/v1/{group}/{epoch}/blinded/{meter}}: the shared-crypto wire encoding of one blinded key, sealed in
 * a {@link SealedFrame} (type 2) under the meter's {@link MessageKey}.
 *
 * <p>Typical use on the head-end: {@code parse(bytes)} (framing), look up the key of the topic's meter,
 * {@code verify(key)}, then decode {@link #blindedKeyEncoding()} with shared-crypto's {@code Encodings}.
 */
public final class BlindedKeyMessage {
    private static final String WHAT = "blinded key";
    private final byte[] frame;
    private final int bodyLength;

    private BlindedKeyMessage(byte[] frame, int bodyLength) {
        this.frame = frame;
        this.bodyLength = bodyLength;
    }

    /** Meter side: seals a blinded-key encoding; returns the MQTT payload. */
    public static byte[] seal(byte[] blindedKeyEncoding, MessageKey key) {
        return SealedFrame.seal(SealedFrame.TYPE_BLINDED_KEY, blindedKeyEncoding, key);
    }

    /** Checks version, type and lengths (not the tag); throws {@link MalformedMessageException}. */
    public static BlindedKeyMessage parse(byte[] payload) {
        int bodyLength = SealedFrame.checkFrame(SealedFrame.TYPE_BLINDED_KEY, WHAT, payload);
        return new BlindedKeyMessage(payload.clone(), bodyLength);
    }

    /** Throws {@link ForgedMessageException} unless the tag verifies under {@code key}. */
    public BlindedKeyMessage verify(MessageKey key) {
        SealedFrame.verify(frame, bodyLength, WHAT, key);
        return this;
    }

    /** The blinded key's wire encoding (only meaningful after {@link #verify}). */
    public byte[] blindedKeyEncoding() {
        return SealedFrame.body(frame, bodyLength);
    }

    @Override
    public String toString() {
        return "BlindedKeyMessage[" + frame.length + " bytes]";
    }
}
