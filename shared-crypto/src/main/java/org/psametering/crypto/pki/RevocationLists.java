package org.psametering.crypto.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;

/**
 * Certificate revocation lists (X.509 v2 CRLs, RFC 5280 section 5) signed by the CA. Every CRL carries a nextUpdate
 * (verifiers refuse it after that time, see {@link CertificateVerifier}) and a CRL number equal to thisUpdate in epoch
 * seconds, so a later CRL always has a larger number.
 */
public final class RevocationLists {

    /** Largest DER CRL {@link #fromDer(byte[])} accepts: ~200 000 entries; a fleet's CRL is far smaller. */
    public static final int MAX_DER_BYTES = 8 << 20;

    private RevocationLists() {}

    /** A CRL listing {@code revokedSerials}, each revoked as of {@code thisUpdate}. */
    public static X509CRL create(CaCredentials ca, Collection<BigInteger> revokedSerials, Instant thisUpdate,
            Instant nextUpdate) {
        SortedMap<BigInteger, Instant> revoked = new TreeMap<>();
        for (BigInteger serial : revokedSerials) {
            revoked.put(serial, thisUpdate);
        }
        return create(ca, revoked, thisUpdate, nextUpdate);
    }

    /** A CRL listing each serial with the time it was revoked (reason unspecified, as the CLI records none). */
    public static X509CRL create(CaCredentials ca, Map<BigInteger, Instant> revokedAt, Instant thisUpdate,
            Instant nextUpdate) {
        Instant issued = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
        Instant next = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
        if (!next.isAfter(issued)) {
            throw new IllegalArgumentException("nextUpdate " + nextUpdate + " must be after thisUpdate " + thisUpdate);
        }
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.certificate(), Date.from(issued));
            builder.setNextUpdate(Date.from(next));
            for (Map.Entry<BigInteger, Instant> entry : new TreeMap<>(revokedAt).entrySet()) {
                builder.addCRLEntry(entry.getKey(), Date.from(entry.getValue()), CRLReason.unspecified);
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(issued.getEpochSecond())));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            X509CRLHolder holder = builder.build(CertificateAuthority.signer(ca.key()));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (java.security.GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not build the CRL", e);
        }
    }

    /** The serials a CRL lists, in ascending order. */
    public static Set<BigInteger> revokedSerials(X509CRL crl) {
        Set<BigInteger> serials = new TreeSet<>();
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            for (X509CRLEntry entry : entries) {
                serials.add(entry.getSerialNumber());
            }
        }
        return serials;
    }

    /** The DER encoding of a CRL. */
    public static byte[] toDer(X509CRL crl) {
        try {
            return crl.getEncoded();
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode the CRL", e);
        }
    }

    /**
     * Parses exactly one DER CRL (no trailing bytes, no BER). Does not check its signature: {@link CertificateVerifier}
     * does that against its trust anchor.
     *
     * @throws PkiFormatException for anything else
     */
    public static X509CRL fromDer(byte[] der) {
        if (der == null || der.length == 0) {
            throw new PkiFormatException("empty CRL");
        }
        if (der.length > MAX_DER_BYTES) {
            throw new PkiFormatException("CRL of " + der.length + " bytes exceeds " + MAX_DER_BYTES);
        }
        X509CRLHolder holder;
        try {
            holder = new X509CRLHolder(CertificateList.getInstance(Asn1.strictDer(der, "CRL")));
        } catch (PkiFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PkiFormatException("not a DER X.509 CRL: " + Asn1.reason(e), e);
        }
        try {
            // Bouncy Castle decodes times lazily: an unparseable time surfaces here, as an IllegalStateException
            if (holder.getNextUpdate() == null) {
                throw new PkiFormatException("CRL has no nextUpdate; this system only uses CRLs that expire");
            }
            holder.getThisUpdate();
            X509CRL crl = new JcaX509CRLConverter().getCRL(holder);
            revokedSerials(crl); // the JDK parses the entries lazily too
            // Bouncy Castle normalises some malformed structures (e.g. a wrong tag on the extensions) when it re-encodes:
            // then the CRL the JDK sees, and whose signature it checks, is not the bytes given. Refuse those.
            if (!java.util.Arrays.equals(crl.getEncoded(), der)) {
                throw new PkiFormatException("CRL is not well-formed (its fields do not re-encode to the bytes given)");
            }
            return crl;
        } catch (PkiFormatException e) {
            throw e;
        } catch (CRLException | RuntimeException e) {
            throw new PkiFormatException("CRL rejected: " + Asn1.reason(e), e);
        }
    }
}
