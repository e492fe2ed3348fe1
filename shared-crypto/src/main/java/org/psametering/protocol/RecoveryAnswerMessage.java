package org.psametering.protocol;

/**
 * Payload (docs/protocol.md, "Recovery of steps with missing meters") of {@code psa/v1/{group}/{epoch}/answer/{meter}}, the
 * shared-crypto wire encoding of one recovery answer (type 0x04), sealed in a {@link SealedFrame} (type 3) under the
 * meter's {@link MessageKey}, exactly like a ciphertext. The frame type is under the tag, so an answer (a PRF value in
 * Z_p, like a ciphertext of reading 0) can never be accepted as a ciphertext, nor a ciphertext as an answer.
 *
 * <p>Typical use on the head-end: {@code parse(bytes)} (framing), look up the key of the topic's meter,
 * {@code verify(key)}, then decode {@link #answerEncoding()} with shared-crypto's {@code Encodings}.
 */
public final class RecoveryAnswerMessage {
    private static final String WHAT = "recovery answer";
    private final byte[] frame;
    private final int bodyLength;

    private RecoveryAnswerMessage(byte[] frame, int bodyLength) {
        this.frame = frame;
        this.bodyLength = bodyLength;
    }

    /** Meter side: seals a recovery-answer encoding; returns the MQTT payload. */
    public static byte[] seal(byte[] answerEncoding, MessageKey key) {
        return SealedFrame.seal(SealedFrame.TYPE_RECOVERY_ANSWER, answerEncoding, key);
    }

    /** Checks version, type and lengths (not the tag); throws {@link MalformedMessageException}. */
    public static RecoveryAnswerMessage parse(byte[] payload) {
        int bodyLength = SealedFrame.checkFrame(SealedFrame.TYPE_RECOVERY_ANSWER, WHAT, payload);
        return new RecoveryAnswerMessage(payload.clone(), bodyLength);
    }

    /** Throws {@link ForgedMessageException} unless the tag verifies under {@code key}. */
    public RecoveryAnswerMessage verify(MessageKey key) {
        SealedFrame.verify(frame, bodyLength, WHAT, key);
        return this;
    }

    /** The answer's wire encoding (only meaningful after {@link #verify}). */
    public byte[] answerEncoding() {
        return SealedFrame.body(frame, bodyLength);
    }

    @Override
    public String toString() {
        return "RecoveryAnswerMessage[" + frame.length + " bytes]";
    }
}
