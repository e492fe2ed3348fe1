package org.psametering.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes a protocol signature covers: a domain string ending in a zero byte, then fields each with its length
 * in front, so that no two different field lists give the same bytes and no signature of one kind is one of another.
 */
final class SignedBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    SignedBytes(String domain) {
        out.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
    }

    SignedBytes text(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Unsigned 32-bit length, then the bytes. */
    SignedBytes bytes(byte[] value) {
        int n = value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(value);
        return this;
    }

    /** Eight bytes, big-endian. */
    SignedBytes number(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
