package org.psametering.protocol.trust;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key decoded once into Bouncy Castle's curve point ({@link Ed25519.PublicPoint}), so that each
 * verification under it skips the point decompression (a square root in the field) that verifying with the 32-byte
 * encoding repeats every time. A meter verifies one signature per member and epoch under keys from certificates it
 * has cached; the {@link CertificateTrust} keeps one of these per cached certificate.
 *
 * <p>The decoding is Bouncy Castle's {@code validatePublicKeyPartialExport}: the same checks its verification with an
 * encoded key makes (canonical encoding, point on the curve), so a key accepted here verifies exactly the signatures
 * the encoded form would.
 */
public final class VerifyingKey {

    private final PublicKey key;
    private final Ed25519.PublicPoint point;

    private VerifyingKey(PublicKey key, Ed25519.PublicPoint point) {
        this.key = key;
        this.point = point;
    }

    /** The decoded key, or empty if {@code key} is no Ed25519 key or its encoding is no valid curve point. */
    public static Optional<VerifyingKey> of(PublicKey key) {
        byte[] raw = Signatures.rawKey(Objects.requireNonNull(key, "key"));
        if (raw == null) {
            return Optional.empty();
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(raw, 0);
        return point == null ? Optional.empty() : Optional.of(new VerifyingKey(key, point));
    }

    /** True iff {@code signature} is a valid Ed25519 signature of {@code message} under this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Signatures.SIGNATURE_BYTES) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public PublicKey publicKey() {
        return key;
    }
}
