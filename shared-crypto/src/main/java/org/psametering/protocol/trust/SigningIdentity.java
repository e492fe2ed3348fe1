package org.psametering.protocol.trust;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A party's long-term Ed25519 signing key and the DER of its certificate from the provisioning CA (a meter: Role
 * METER, CN = meter id; the head-end: Role HEAD_END, CN = its configured name). Every signed protocol message carries
 * the certificate so a receiver can check it against the CA it trusts. {@link #toString()} never shows the key.
 */
public final class SigningIdentity {

    private final PrivateKey key;
    private final byte[] certificateDer;

    public SigningIdentity(PrivateKey key, byte[] certificateDer) {
        this.key = Objects.requireNonNull(key, "key");
        if (!Signatures.ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("identity key must be Ed25519, is " + key.getAlgorithm());
        }
        if (certificateDer == null || certificateDer.length == 0) {
            throw new IllegalArgumentException("identity certificate is empty");
        }
        this.certificateDer = certificateDer.clone();
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
