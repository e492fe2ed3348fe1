package org.psametering.crypto.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The provisioning CA: creates its own self-signed root and issues role certificates (profile in shared-crypto/README.md
 * section 12). Pure: keys and certificates in and out; keeping the index of issued serials is the caller's job.
 */
public final class CertificateAuthority {

    /** Certificates' common names: what a meter id may look like (also the MQTT username and topic segment). */
    private static final java.util.regex.Pattern COMMON_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private CertificateAuthority() {}

    /** A new CA with a fresh Ed25519 key and a self-signed certificate valid from {@code now} for {@code validity}. */
    public static CaCredentials create(String name, Duration validity, Instant now, SecureRandom rnd) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("CA name must be 1..64 characters, got '" + name + "'");
        }
        now = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // X.509 times have whole seconds
        KeyPair keys = IdentityKeys.generate(rnd);
        X500Name subject = commonName(name);
        BigInteger serial = new BigInteger(127, rnd).add(BigInteger.ONE);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, Date.from(now), Date.from(now.plus(positive(validity))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new CaCredentials(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not build the CA certificate", e);
        }
    }

    /**
     * A certificate for {@code role}, subject CN = {@code commonName} (the meter id for a meter), valid from {@code now}
     * for {@code validity}. Broker certificates should use {@link #issue(CaCredentials, Role, String, List, PublicKey,
     * Duration, Instant, BigInteger)} to name the hosts a TLS client will check.
     */
    public static X509Certificate issue(CaCredentials ca, Role role, String commonName, PublicKey subjectKey,
            Duration validity, Instant now, BigInteger serial) {
        return issue(ca, role, commonName, List.of(), subjectKey, validity, now, serial);
    }

    /**
     * As {@link #issue(CaCredentials, Role, String, PublicKey, Duration, Instant, BigInteger)}, plus subject
     * alternative names: each entry is a DNS name or an IP literal (TLS clients check the host they dialled against
     * these).
     */
    public static X509Certificate issue(CaCredentials ca, Role role, String commonName, List<String> hostNames,
            PublicKey subjectKey, Duration validity, Instant now, BigInteger serial) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(subjectKey, "subjectKey");
        if (commonName == null || !COMMON_NAME.matcher(commonName).matches()) {
            throw new IllegalArgumentException(
                    "common name must be 1..64 of A-Z a-z 0-9 . _ - (it is an MQTT username and topic segment), got '"
                            + commonName + "'");
        }
        if (serial == null || serial.signum() <= 0 || serial.bitLength() > 159) {
            throw new IllegalArgumentException("serial must be positive and at most 20 bytes (RFC 5280 4.1.2.2)");
        }
        now = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // X.509 times have whole seconds
        Instant notAfter = now.plus(positive(validity));
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            throw new IllegalArgumentException("requested validity ends " + notAfter + ", after the CA's own ("
                    + ca.certificate().getNotAfter().toInstant() + ")");
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    ca.certificate(), serial, Date.from(now), Date.from(notAfter), commonName(commonName), subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(role.purposes().toArray(KeyPurposeId[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.certificate()));
            if (!hostNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String host : hostNames) {
                    names.add(host.matches("[0-9.]+|.*:.*")
                            ? new GeneralName(GeneralName.iPAddress, host)
                            : new GeneralName(GeneralName.dNSName, host));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(builder, ca.key());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not issue a " + role + " certificate", e);
        }
    }

    static X500Name commonName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(IdentityKeys.ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalArgumentException("the CA key must be an Ed25519 private key", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        X509CertificateHolder holder = builder.build(signer(key));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static Duration positive(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, got " + validity);
        }
        return validity;
    }
}
