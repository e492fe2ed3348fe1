package org.psametering.crypto.pki;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.crypto.pki.TestPki.NOW;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PemTest {

    private final TestPki pki = new TestPki();
    private final TestPki.Issued meter = pki.issue(Role.METER, "meter-001", 5);

    @Test
    void certificateRoundTripsThroughPemAndDer() {
        String pem = Pem.writeCertificate(meter.cert());
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
        assertEquals(meter.cert(), Pem.readCertificate(pem));
        byte[] der = Pem.certificateToDer(meter.cert());
        assertEquals(meter.cert(), Pem.certificateFromDer(der));
        assertEquals(List.of(meter.cert(), pki.ca.certificate()),
                Pem.readCertificates(pem + Pem.writeCertificate(pki.ca.certificate())));
    }

    @Test
    void privateKeyRoundTripsAndStillSigns() throws Exception {
        String pem = Pem.writePrivateKey(meter.keys().getPrivate());
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        PrivateKey read = Pem.readPrivateKey(pem);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(read);
        signer.update("x".getBytes(UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(meter.cert().getPublicKey());
        verifier.update("x".getBytes(UTF_8));
        assertTrue(verifier.verify(signature));
    }

    @Test
    void crlRoundTripsWithItsSerials() {
        X509CRL crl = RevocationLists.create(pki.ca, List.of(BigInteger.valueOf(5), BigInteger.valueOf(9)), NOW,
                NOW.plus(Duration.ofDays(30)));
        X509CRL read = Pem.readCrl(Pem.writeCrl(crl));
        assertEquals(crl, read);
        assertEquals(Set.of(BigInteger.valueOf(5), BigInteger.valueOf(9)), RevocationLists.revokedSerials(read));
        assertEquals(NOW.plus(Duration.ofDays(30)), read.getNextUpdate().toInstant());
        assertEquals(crl, RevocationLists.fromDer(RevocationLists.toDer(crl)));
    }

    @Test
    void refusesTheWrongBlockType() {
        String keyPem = Pem.writePrivateKey(meter.keys().getPrivate());
        PkiFormatException e = assertThrows(PkiFormatException.class, () -> Pem.readCertificate(keyPem));
        assertTrue(e.getMessage().contains("expected a CERTIFICATE"), e.getMessage());
        assertThrows(PkiFormatException.class, () -> Pem.readPrivateKey(Pem.writeCertificate(meter.cert())));
        assertThrows(PkiFormatException.class, () -> Pem.readCrl(keyPem));
    }

    @Test
    void refusesTextWithoutPemOrWithTwoCertificatesWhereOneIsExpected() {
        assertThrows(PkiFormatException.class, () -> Pem.readCertificate("hello"));
        assertThrows(PkiFormatException.class, () -> Pem.readCertificate(""));
        String two = Pem.writeCertificate(meter.cert()) + Pem.writeCertificate(pki.ca.certificate());
        assertThrows(PkiFormatException.class, () -> Pem.readCertificate(two));
        assertThrows(PkiFormatException.class,
                () -> Pem.readCertificate("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void refusesTruncatedTrailingAndNonCanonicalDer() {
        byte[] der = Pem.certificateToDer(meter.cert());
        assertThrows(PkiFormatException.class, () -> Pem.certificateFromDer(Arrays.copyOf(der, der.length - 1)));
        assertThrows(PkiFormatException.class, () -> Pem.certificateFromDer(Arrays.copyOf(der, der.length + 1)));
        assertThrows(PkiFormatException.class, () -> Pem.certificateFromDer(new byte[0]));
        assertThrows(PkiFormatException.class, () -> Pem.certificateFromDer(new byte[] {0x30, (byte) 0x80, 0, 0}));
        assertThrows(PkiFormatException.class,
                () -> Pem.certificateFromDer(new byte[Pem.MAX_CERTIFICATE_DER_BYTES + 1]));
        // the same certificate with its outer length in long form (BER, not DER)
        byte[] ber = new byte[der.length + 1];
        ber[0] = der[0];
        ber[1] = (byte) 0x83;
        ber[2] = 0;
        System.arraycopy(der, 2, ber, 3, der.length - 2);
        assertEquals((byte) 0x82, der[1], "test assumes a two-byte long-form length");
        PkiFormatException e = assertThrows(PkiFormatException.class, () -> Pem.certificateFromDer(ber));
        assertTrue(e.getMessage().contains("canonical DER"), e.getMessage());
    }

    @Test
    void privateKeyErrorsDoNotQuoteTheKey() {
        // a well-formed DER structure that is not a PKCS#8 key: a certificate under the PRIVATE KEY label
        String damaged = Pem.writeCertificate(meter.cert()).replace("CERTIFICATE", "PRIVATE KEY");
        PkiFormatException e = assertThrows(PkiFormatException.class, () -> Pem.readPrivateKey(damaged));
        assertTrue(e.getCause() == null, "no cause that could carry key bytes");
    }
}
