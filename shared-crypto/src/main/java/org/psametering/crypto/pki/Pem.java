package org.psametering.crypto.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM (RFC 7468) and DER codecs for certificates, PKCS#8 private keys and CRLs: the formats OpenSSL and Mosquitto read,
 * so the files {@code ./psa pki} writes work for the broker as they are. Every decoder throws only
 * {@link PkiFormatException} for bad input, with a message that says what is wrong (never key bytes).
 */
public final class Pem {

    /** Largest DER certificate accepted: ours are ~400-600 bytes; 16 KiB leaves room for any sane certificate. */
    public static final int MAX_CERTIFICATE_DER_BYTES = 16 * 1024;
    /** Largest PEM text accepted by the readers (a CRL in PEM is base64 of at most {@link RevocationLists#MAX_DER_BYTES}). */
    public static final int MAX_PEM_CHARS = RevocationLists.MAX_DER_BYTES / 3 * 4 + (RevocationLists.MAX_DER_BYTES >> 4);

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String CRL = "X509 CRL";

    private Pem() {}

    // ---- certificates, DER

    /** The DER encoding of a certificate (what signed protocol messages carry). */
    public static byte[] certificateToDer(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the certificate", e);
        }
    }

    /**
     * Parses exactly one canonical DER X.509 certificate of at most {@link #MAX_CERTIFICATE_DER_BYTES}. Parsing checks
     * nothing about trust: give the result to {@link CertificateVerifier}.
     *
     * @throws PkiFormatException for anything else
     */
    public static X509Certificate certificateFromDer(byte[] der) {
        if (der == null || der.length == 0) {
            throw new PkiFormatException("empty certificate");
        }
        if (der.length > MAX_CERTIFICATE_DER_BYTES) {
            throw new PkiFormatException(
                    "certificate of " + der.length + " bytes exceeds " + MAX_CERTIFICATE_DER_BYTES);
        }
        X509CertificateHolder holder;
        try {
            holder = new X509CertificateHolder(Certificate.getInstance(Asn1.strictDer(der, "certificate")));
        } catch (PkiFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PkiFormatException("not a DER X.509 certificate: " + Asn1.reason(e), e);
        }
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            certificate.getPublicKey(); // the JDK parses the key lazily on some paths: make a bad key fail here
            // the converter re-encodes through Bouncy Castle, which normalises some malformed structures: the JDK's
            // certificate (whose signature is checked) must be exactly the bytes given
            if (!java.util.Arrays.equals(certificate.getEncoded(), der)) {
                throw new PkiFormatException("certificate is not well-formed (its fields do not re-encode to the bytes given)");
            }
            return certificate;
        } catch (CertificateException | RuntimeException e) {
            throw new PkiFormatException("certificate rejected by the JDK: " + Asn1.reason(e), e);
        }
    }

    // ---- certificates, PEM

    public static String writeCertificate(X509Certificate certificate) {
        return write(CERTIFICATE, certificateToDer(certificate));
    }

    /** Exactly one certificate in PEM ({@code -----BEGIN CERTIFICATE-----}). */
    public static X509Certificate readCertificate(String pem) {
        return certificateFromDer(single(pem, CERTIFICATE));
    }

    /** One or more certificates in PEM (a bundle, e.g. a CA file); at least one. */
    public static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemObject object : objects(pem)) {
            expectType(object, CERTIFICATE);
            certificates.add(certificateFromDer(object.getContent()));
        }
        return certificates;
    }

    // ---- private keys (PKCS#8, unencrypted: files are protected by 0600 permissions, as the meter's state is)

    public static String writePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key cannot be encoded as PKCS#8: " + key.getFormat());
        }
        return write(PRIVATE_KEY, key.getEncoded());
    }

    /** A PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}): Ed25519 or EC. */
    public static PrivateKey readPrivateKey(String pem) {
        byte[] der = single(pem, PRIVATE_KEY);
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(Asn1.strictDer(der, "private key"));
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PkiFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // no cause chained: a key parser's exception might quote the bytes it choked on
            throw new PkiFormatException("not a PKCS#8 private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    // ---- CRLs

    public static String writeCrl(X509CRL crl) {
        return write(CRL, RevocationLists.toDer(crl));
    }

    /** Exactly one CRL in PEM ({@code -----BEGIN X509 CRL-----}); see {@link RevocationLists#fromDer(byte[])}. */
    public static X509CRL readCrl(String pem) {
        return RevocationLists.fromDer(single(pem, CRL));
    }

    // ---- plumbing

    private static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to a string cannot fail", e);
        }
        return out.toString();
    }

    private static byte[] single(String pem, String type) {
        List<PemObject> objects = objects(pem);
        if (objects.size() != 1) {
            throw new PkiFormatException("expected one " + type + " PEM block, found " + objects.size());
        }
        expectType(objects.get(0), type);
        return objects.get(0).getContent();
    }

    private static void expectType(PemObject object, String type) {
        if (!type.equals(object.getType())) {
            throw new PkiFormatException("expected a " + type + " PEM block, found " + object.getType());
        }
    }

    private static List<PemObject> objects(String pem) {
        if (pem == null) {
            throw new PkiFormatException("no PEM text");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new PkiFormatException("PEM text of " + pem.length() + " characters exceeds " + MAX_PEM_CHARS);
        }
        List<PemObject> objects = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject object;
            while ((object = reader.readPemObject()) != null) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiFormatException("malformed PEM: " + Asn1.reason(e), e);
        }
        if (objects.isEmpty()) {
            throw new PkiFormatException("no PEM block (-----BEGIN ...-----) found");
        }
        return objects;
    }
}
