package org.psametering.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the unambiguous byte strings that are hashed for domain separation: every field is either a fixed-width
 * big-endian integer or a string prefixed by its 2-byte big-endian length, so no two different field lists
 * encode to the same bytes.
 */
public final class DomainInput {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    public DomainInput string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("field too long for domain input");
        }
        u16(b.length);
        out.writeBytes(b);
        return this;
    }

    public DomainInput u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** An unsigned 4-byte big-endian integer (v must be non-negative). */
    public DomainInput u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(v >>> shift);
        }
        return this;
    }

    public DomainInput u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
