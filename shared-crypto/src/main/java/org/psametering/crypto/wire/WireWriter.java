package org.psametering.crypto.wire;

import java.nio.charset.StandardCharsets;

/** Fixed-size writer for the encodings; the caller computes the exact length up front. */
final class WireWriter {

    private final byte[] out;
    private int pos;

    WireWriter(int length, WireType type) {
        out = new byte[length];
        u8(type.tag);
        u8(WireType.VERSION_1);
    }

    WireWriter u8(int v) {
        out[pos++] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        out[pos++] = (byte) (v >>> 8);
        out[pos++] = (byte) v;
        return this;
    }

    WireWriter u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    WireWriter bytes(byte[] b) {
        System.arraycopy(b, 0, out, pos, b.length);
        pos += b.length;
        return this;
    }

    WireWriter shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        u8(b.length);
        return bytes(b);
    }

    /** Hands out the position for a block written in place by the caller. */
    int reserve(int length) {
        int start = pos;
        pos += length;
        return start;
    }

    byte[] array() {
        return out;
    }

    byte[] finish() {
        if (pos != out.length) {
            throw new IllegalStateException("encoder wrote " + pos + " of " + out.length + " bytes");
        }
        return out;
    }

    static int shortStringLength(String s) {
        return 1 + s.length();
    }
}
