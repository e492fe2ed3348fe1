package org.psametering.crypto.keysetup;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An X25519 public key (32 bytes, RFC 7748 encoding). Public, so toString shows it. */
public record AgreementPublicKey(byte[] bytes) {

    public static final int LENGTH = 32;

    public AgreementPublicKey {
        Objects.requireNonNull(bytes, "public key bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("X25519 public key must be " + LENGTH + " bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgreementPublicKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AgreementPublicKey[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
