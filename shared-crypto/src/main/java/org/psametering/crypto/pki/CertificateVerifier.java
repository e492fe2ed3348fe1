package org.psametering.crypto.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Checks end-entity certificates against one trust anchor (the provisioning CA's certificate) and, optionally, its CRL.
 * There are no intermediate CAs: a certificate is trusted only if the anchor signed it directly.
 *
 * <p>Revocation: with a CRL, a listed serial is {@link CertificateCheck.Reason#REVOKED}; once the time of a check is
 * past the CRL's nextUpdate every check answers {@link CertificateCheck.Reason#CRL_OUTDATED} (fail-closed: a stale
 * list could be hiding a revocation). Without a CRL nothing is checked for revocation; that is the caller's choice.
 * A CRL that the anchor did not sign is refused when the verifier is built ({@link PkiFormatException}).
 *
 * <p>Immutable and thread-safe.
 */
public final class CertificateVerifier {

    private final X509Certificate anchor;
    private final X500Principal anchorName;
    private final Optional<X509CRL> crl;
    private final Set<BigInteger> revoked;
    /** The anchor's key decoded for Bouncy Castle's Ed25519, or null if it is not an Ed25519 key (then the JDK checks). */
    private final Ed25519.PublicPoint anchorPoint;

    /**
     * @throws PkiFormatException if the anchor is not a CA certificate or the CRL is not signed by the anchor
     */
    public CertificateVerifier(X509Certificate trustAnchor, Optional<X509CRL> crl) {
        this.anchor = Objects.requireNonNull(trustAnchor, "trustAnchor");
        this.anchorName = trustAnchor.getSubjectX500Principal();
        this.anchorPoint = ed25519Point(trustAnchor.getPublicKey());
        this.crl = Objects.requireNonNull(crl, "crl");
        if (trustAnchor.getBasicConstraints() < 0) {
            throw new PkiFormatException("trust anchor " + anchorName.getName() + " is not a CA certificate");
        }
        if (crl.isPresent()) {
            X509CRL list = crl.get();
            if (!list.getIssuerX500Principal().equals(anchorName)) {
                throw new PkiFormatException("CRL issued by " + list.getIssuerX500Principal().getName()
                        + ", not by the trust anchor " + anchorName.getName());
            }
            try {
                list.verify(trustAnchor.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new PkiFormatException("CRL signature does not verify under the trust anchor's key", e);
            }
            if (list.getNextUpdate() == null) {
                throw new PkiFormatException("CRL has no nextUpdate; only CRLs that expire are accepted");
            }
            this.revoked = RevocationLists.revokedSerials(list);
        } else {
            this.revoked = Set.of();
        }
    }

    public X509Certificate trustAnchor() {
        return anchor;
    }

    public Optional<X509CRL> crl() {
        return crl;
    }

    /** Whether {@code cert} may act as {@code expectedRole} under the name {@code expectedCommonName} at {@code now}. */
    public CertificateCheck verify(X509Certificate cert, Role expectedRole, String expectedCommonName, Instant now) {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(expectedRole, "expectedRole");
        Objects.requireNonNull(expectedCommonName, "expectedCommonName");
        Objects.requireNonNull(now, "now");
        String serial = "serial " + cert.getSerialNumber().toString(16);

        // structure first: a CA certificate or one without exactly one CN is never a meter or head-end
        if (cert.getBasicConstraints() >= 0) {
            return CertificateCheck.fail(CertificateCheck.Reason.MALFORMED, serial + " is a CA certificate");
        }
        Optional<String> commonName = commonName(cert);
        if (commonName.isEmpty()) {
            return CertificateCheck.fail(CertificateCheck.Reason.MALFORMED, serial + " has not exactly one subject CN");
        }
        List<String> usages;
        try {
            usages = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException | RuntimeException e) {
            return CertificateCheck.fail(CertificateCheck.Reason.MALFORMED, serial + ": unreadable extended key usage");
        }
        String who = "'" + commonName.get() + "' (" + serial + ")";

        // then trust: nothing else the certificate says counts before its signature does
        if (!cert.getIssuerX500Principal().equals(anchorName)) {
            return CertificateCheck.fail(CertificateCheck.Reason.BAD_SIGNATURE,
                    who + " issued by " + cert.getIssuerX500Principal().getName() + ", not by " + anchorName.getName());
        }
        if (!signedByAnchor(cert)) {
            return CertificateCheck.fail(CertificateCheck.Reason.BAD_SIGNATURE,
                    who + ": signature does not verify under " + anchorName.getName());
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            return CertificateCheck.fail(CertificateCheck.Reason.NOT_YET_VALID,
                    who + " valid only from " + cert.getNotBefore().toInstant());
        }
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            return CertificateCheck.fail(CertificateCheck.Reason.EXPIRED,
                    who + " expired " + cert.getNotAfter().toInstant());
        }
        if (crl.isPresent() && now.isAfter(crl.get().getNextUpdate().toInstant())) {
            return CertificateCheck.fail(CertificateCheck.Reason.CRL_OUTDATED, "the CRL was due for renewal at "
                    + crl.get().getNextUpdate().toInstant() + "; revocation of " + who + " is unknown");
        }
        if (revoked.contains(cert.getSerialNumber())) {
            return CertificateCheck.fail(CertificateCheck.Reason.REVOKED, who + " is revoked");
        }
        if (usages == null || !usages.contains(expectedRole.oidString())) {
            return CertificateCheck.fail(CertificateCheck.Reason.WRONG_ROLE, who + " is not a " + expectedRole);
        }
        if (!commonName.get().equals(expectedCommonName)) {
            return CertificateCheck.fail(CertificateCheck.Reason.WRONG_NAME,
                    who + " presented as '" + expectedCommonName + "'");
        }
        return CertificateCheck.ok(who + " is a valid " + expectedRole);
    }

    /**
     * Whether the anchor signed {@code cert}. An Ed25519 certificate (every one this system issues) is checked with
     * Bouncy Castle's RFC 8032 code against the anchor's key decoded once: a meter's first epoch checks one certificate
     * per member, and that is several times faster than the JDK provider. Anything else goes to the JDK.
     */
    private boolean signedByAnchor(X509Certificate cert) {
        try {
            if (anchorPoint != null && ED25519_OID.equals(cert.getSigAlgOID())) {
                // RFC 8410: Ed25519 certificates carry no algorithm parameters; the JDK refuses them too
                if (cert.getSigAlgParams() != null) {
                    return false;
                }
                byte[] signature = cert.getSignature();
                byte[] tbs = cert.getTBSCertificate();
                return signature.length == Ed25519.SIGNATURE_SIZE
                        && Ed25519.verify(signature, 0, anchorPoint, tbs, 0, tbs.length);
            }
            cert.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static final String ED25519_OID = EdECObjectIdentifiers.id_Ed25519.getId();

    /** The Ed25519 point of a key, or null if it is not a valid Ed25519 key. */
    private static Ed25519.PublicPoint ed25519Point(PublicKey key) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            if (!info.getAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
                return null;
            }
            byte[] raw = info.getPublicKeyData().getOctets();
            return raw.length == Ed25519.PUBLIC_KEY_SIZE ? Ed25519.validatePublicKeyPartialExport(raw, 0) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The certificate's single subject CN, or empty if it has none or several. */
    public static Optional<String> commonName(X509Certificate cert) {
        try {
            X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            RDN[] rdns = name.getRDNs(BCStyle.CN);
            if (rdns.length != 1 || rdns[0].isMultiValued()) {
                return Optional.empty();
            }
            return rdns[0].getFirst().getValue() instanceof ASN1String text
                    ? Optional.of(text.getString())
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The role a certificate's extended key usage names, if exactly one project role OID is present. */
    public static Optional<Role> role(X509Certificate cert) {
        try {
            List<String> usages = cert.getExtendedKeyUsage();
            if (usages == null) {
                return Optional.empty();
            }
            List<Role> roles = usages.stream().flatMap(oid -> Role.fromOid(oid).stream()).toList();
            return roles.size() == 1 ? Optional.of(roles.get(0)) : Optional.empty();
        } catch (CertificateParsingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
