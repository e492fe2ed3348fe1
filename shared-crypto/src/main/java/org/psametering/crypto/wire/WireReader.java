package org.psametering.crypto.wire;

import java.nio.charset.StandardCharsets;
import org.psametering.crypto.psa.PsaParameters;

/** Strict sequential parser: every read checks the remaining length, and {@link #end()} rejects trailing bytes. */
final class WireReader {

    private final byte[] in;
    private final WireType type;
    private int pos;

    WireReader(byte[] in, WireType type) {
        if (in == null) {
            throw new MalformedEncodingException(type.description + ": null input");
        }
        this.in = in;
        this.type = type;
        int tag = u8("type");
        if (tag != type.tag) {
            throw fail(String.format("type byte 0x%02x, expected 0x%02x", tag, type.tag));
        }
        int version = u8("version");
        if (version != WireType.VERSION_1) {
            throw fail("unsupported version " + version + " (supported: " + WireType.VERSION_1 + ")");
        }
    }

    int u8(String field) {
        need(1, field);
        return in[pos++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u64(String field) {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    byte[] bytes(int length, String field) {
        need(length, field);
        byte[] out = new byte[length];
        System.arraycopy(in, pos, out, 0, length);
        pos += length;
        return out;
    }

    /** Marks the offset of a length-checked block that the caller reads in place. */
    int skip(int length, String field) {
        need(length, field);
        int start = pos;
        pos += length;
        return start;
    }

    byte[] input() {
        return in;
    }

    String shortString(String field) {
        int length = u8(field + " length");
        byte[] b = bytes(length, field);
        return new String(b, StandardCharsets.US_ASCII);
    }

    PsaParameters params() {
        int id = u16("parameter set id");
        try {
            return PsaParameters.byId(id);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    void end() {
        if (pos != in.length) {
            throw fail((in.length - pos) + " trailing byte(s) after the encoding (length " + in.length + ")");
        }
    }

    MalformedEncodingException fail(String what) {
        return new MalformedEncodingException("malformed " + type.description + " encoding: " + what);
    }

    private void need(int count, String field) {
        if (in.length - pos < count) {
            throw fail("truncated at " + field + " (offset " + pos + ", need " + count + " byte(s), input length "
                    + in.length + ")");
        }
    }
}
