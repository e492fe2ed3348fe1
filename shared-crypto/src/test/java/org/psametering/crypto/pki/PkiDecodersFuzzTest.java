package org.psametering.crypto.pki;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.psametering.fuzz.SeedCorpus.seeds;
import static org.psametering.fuzz.SeedCorpus.with;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz targets for the certificate and CRL decoders: DER certificates arrive inside signed protocol messages from the
 * broker, PEM files from disk. Property: any input either parses, and then re-encodes to the same bytes and can be
 * given to the verifier without any exception, or throws {@link PkiFormatException}; any other exception, an
 * OutOfMemoryError or a hang is a finding.
 */
class PkiDecodersFuzzTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final CaCredentials CA =
            CertificateAuthority.create("Fuzz CA", Duration.ofDays(3650), NOW, new DeterministicRandom("pki-fuzz-ca"));
    private static final X509Certificate METER = CertificateAuthority.issue(CA, Role.METER, "meter-00001",
            IdentityKeys.generate(new DeterministicRandom("pki-fuzz-meter")).getPublic(), Duration.ofDays(365), NOW,
            BigInteger.valueOf(42));
    private static final X509CRL CRL =
            RevocationLists.create(CA, List.of(BigInteger.valueOf(41)), NOW, NOW.plus(Duration.ofDays(30)));
    private static final CertificateVerifier VERIFIER = new CertificateVerifier(CA.certificate(), Optional.of(CRL));

    @FuzzTest
    void certificateDer(byte[] input) {
        X509Certificate cert;
        try {
            cert = Pem.certificateFromDer(input);
        } catch (PkiFormatException expected) {
            return;
        }
        assertArrayEquals(input, Pem.certificateToDer(cert));
        VERIFIER.verify(cert, Role.METER, "meter-00001", NOW); // any verdict, but no exception
        CertificateVerifier.role(cert);
    }

    @FuzzTest
    void certificatePem(byte[] input) {
        String text = new String(input, ISO_8859_1);
        List<X509Certificate> certs;
        try {
            certs = Pem.readCertificates(text);
        } catch (PkiFormatException expected) {
            return;
        }
        for (X509Certificate cert : certs) {
            assertEquals(cert, Pem.readCertificate(Pem.writeCertificate(cert)));
            VERIFIER.verify(cert, Role.HEAD_END, "he-1", NOW);
        }
    }

    @FuzzTest
    void crlDer(byte[] input) {
        X509CRL crl;
        try {
            crl = RevocationLists.fromDer(input);
        } catch (PkiFormatException expected) {
            return;
        }
        assertArrayEquals(input, RevocationLists.toDer(crl));
        RevocationLists.revokedSerials(crl);
        try {
            new CertificateVerifier(CA.certificate(), Optional.of(crl));
        } catch (PkiFormatException expected) {
            // a CRL that parses but is not the CA's: refused with the documented exception
        }
    }

    @FuzzTest
    void privateKeyPem(byte[] input) {
        try {
            Pem.readPrivateKey(new String(input, ISO_8859_1));
        } catch (PkiFormatException expected) {
            // refused with the documented exception
        }
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=PkiDecodersFuzzTest} rewrites them. */
    @Test
    void seedCorpus() throws IOException {
        SeedCorpus corpus = new SeedCorpus(getClass());
        byte[] meter = Pem.certificateToDer(METER);
        byte[] ca = Pem.certificateToDer(CA.certificate());
        corpus.write("certificateDer", seeds("meter", meter, "ca", ca,
                "bad-signature", with(meter, meter.length - 3, meter[meter.length - 3] ^ 1),
                "truncated", java.util.Arrays.copyOf(meter, meter.length - 10)));
        corpus.write("certificatePem", seeds("meter", Pem.writeCertificate(METER).getBytes(US_ASCII),
                "bundle", (Pem.writeCertificate(METER) + Pem.writeCertificate(CA.certificate())).getBytes(US_ASCII)));
        byte[] crl = RevocationLists.toDer(CRL);
        corpus.write("crlDer", seeds("one-revoked", crl, "bad-signature", with(crl, crl.length - 3, crl[crl.length - 3] ^ 1)));
        corpus.write("privateKeyPem", seeds("ed25519",
                Pem.writePrivateKey(IdentityKeys.generate(new DeterministicRandom("pki-fuzz-key")).getPrivate())
                        .getBytes(US_ASCII)));
    }
}
