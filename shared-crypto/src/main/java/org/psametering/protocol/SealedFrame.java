package org.psametering.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Binary frame of the authenticated meter -> head-end messages, version 1:
 *
 * <pre>
 * offset size  field
 * 0      1     frame version = 1
 * 1      1     message type (1 = ciphertext, 2 = blinded key, 3 = recovery answer)
 * 2      4     body length L, unsigned big-endian, 1 .. MAX_BODY
 * 6      L     body (the shared-crypto wire encoding of the ciphertext, blinded key or recovery answer)
 * 6+L    16    tag = first 16 bytes of HMAC-SHA256(MessageKey, bytes [0, 6+L))
 * </pre>
 *
 * The type byte is under the tag, so a blinded-key message can never be replayed as a ciphertext or vice versa.
 */
final class SealedFrame {
    static final byte VERSION = 1;
    static final byte TYPE_CIPHERTEXT = 1;
    static final byte TYPE_BLINDED_KEY = 2;
    static final byte TYPE_RECOVERY_ANSWER = 3;
    static final int HEADER_BYTES = 6;
    /** Generous upper bound (a blinded key of the largest parameter set is well below) against absurd lengths. */
    static final int MAX_BODY = 1 << 20;

    private SealedFrame() {
    }

    static byte[] seal(byte type, byte[] body, MessageKey key) {
        if (body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("body length " + body.length + " outside 1.." + MAX_BODY);
        }
        byte[] frame = new byte[HEADER_BYTES + body.length + MessageKey.TAG_BYTES];
        ByteBuffer.wrap(frame).put(VERSION).put(type).putInt(body.length).put(body);
        byte[] tag = key.tag(frame, 0, HEADER_BYTES + body.length);
        System.arraycopy(tag, 0, frame, HEADER_BYTES + body.length, tag.length);
        return frame;
    }

    /** Checks the framing and returns the body length; the tag is checked separately by {@link #verify}. */
    static int checkFrame(byte type, String what, byte[] frame) {
        if (frame == null || frame.length < HEADER_BYTES + 1 + MessageKey.TAG_BYTES) {
            throw new MalformedMessageException(what + " message too short: " + (frame == null ? 0 : frame.length) + " bytes");
        }
        if (frame[0] != VERSION) {
            throw new MalformedMessageException(what + " message has unsupported version " + (frame[0] & 0xff) + " (expected " + VERSION + ")");
        }
        if (frame[1] != type) {
            throw new MalformedMessageException(what + " message has type " + (frame[1] & 0xff) + " (expected " + type + ")");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(frame, 2, 4).getInt());
        if (length < 1 || length > MAX_BODY || HEADER_BYTES + length + MessageKey.TAG_BYTES != frame.length) {
            throw new MalformedMessageException(what + " message declares body length " + length + " but is " + frame.length + " bytes long");
        }
        return (int) length;
    }

    static byte[] body(byte[] frame, int length) {
        return Arrays.copyOfRange(frame, HEADER_BYTES, HEADER_BYTES + length);
    }

    static byte[] tag(byte[] frame, int length) {
        return Arrays.copyOfRange(frame, HEADER_BYTES + length, frame.length);
    }

    static void verify(byte[] frame, int length, String what, MessageKey key) {
        if (!key.verify(frame, 0, HEADER_BYTES + length, tag(frame, length))) {
            throw new ForgedMessageException(what + " message tag does not verify");
        }
    }
}
