package org.psametering.protocol.trust;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECPrivateKey;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A party's long-term Ed25519 signing key and the DER of its certificate from the provisioning CA (a meter: Role
 * METER, CN = meter id; the head-end: Role HEAD_END, CN = its configured name). Every signed protocol message carries
 * the certificate so a receiver can check it against the CA it trusts. {@link #toString()} never shows the key.
 *
 * <p>Signing uses Bouncy Castle's RFC 8032 code when the key's 32 private bytes are available (a JDK
 * {@link EdECPrivateKey}), else the JDK provider. Ed25519 signatures are deterministic (RFC 8032 section 5.1.6), so
 * both give the same 64 bytes; Bouncy Castle's is several times faster, which counts where thousands of simulated
 * meters sign their epoch keys in one process ({@code psa bench setup}).
 */
public final class SigningIdentity {

    private final PrivateKey key;
    private final byte[] certificateDer;
    /** The key's 32 private bytes for Bouncy Castle's signer, or null (then the JDK provider signs). */
    private final byte[] rawKey;
    /** Its public key (32 bytes), computed once instead of per signature; null iff rawKey is. */
    private final byte[] rawPublicKey;

    public SigningIdentity(PrivateKey key, byte[] certificateDer) {
        this.key = Objects.requireNonNull(key, "key");
        if (!Signatures.ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("identity key must be Ed25519, is " + key.getAlgorithm());
        }
        if (certificateDer == null || certificateDer.length == 0) {
            throw new IllegalArgumentException("identity certificate is empty");
        }
        this.certificateDer = certificateDer.clone();
        this.rawKey = rawEd25519(key).orElse(null);
        if (rawKey != null) {
            rawPublicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePublicKey(rawKey, 0, rawPublicKey, 0);
        } else {
            rawPublicKey = null;
        }
    }

    /** The private bytes of a JDK Ed25519 key, or empty for any other key (e.g. one that does not export them). */
    private static Optional<byte[]> rawEd25519(PrivateKey key) {
        if (key instanceof EdECPrivateKey edec && Signatures.ALGORITHM.equalsIgnoreCase(edec.getParams().getName())) {
            return edec.getBytes().filter(bytes -> bytes.length == Ed25519.SECRET_KEY_SIZE);
        }
        return Optional.empty();
    }

    public static SigningIdentity of(PrivateKey key, X509Certificate certificate) {
        try {
            return new SigningIdentity(key, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded: " + e.getMessage(), e);
        }
    }

    /** The certificate as DER (a copy). */
    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    /** Ed25519 signature (64 bytes) over {@code message}. */
    public byte[] sign(byte[] message) {
        if (rawKey != null) {
            byte[] signature = new byte[Signatures.SIGNATURE_BYTES];
            Ed25519.sign(rawKey, 0, rawPublicKey, 0, message, 0, message.length, signature, 0);
            return signature;
        }
        try {
            Signature signature = Signature.getInstance(Signatures.ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "SigningIdentity[certificate " + certificateDer.length + " bytes, key hidden]";
    }
}
