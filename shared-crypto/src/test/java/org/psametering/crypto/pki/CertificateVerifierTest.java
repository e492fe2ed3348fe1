package org.psametering.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.crypto.pki.CertificateCheck.Reason.*;
import static org.psametering.crypto.pki.TestPki.NOW;
import static org.psametering.crypto.pki.TestPki.RND;
import static org.psametering.crypto.pki.TestPki.YEAR;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateVerifierTest {

    private final TestPki pki = new TestPki();
    private final X509Certificate meter = pki.issue(Role.METER, "meter-001", 10).cert();
    private final CertificateVerifier verifier = new CertificateVerifier(pki.ca.certificate(), Optional.empty());

    @Test
    void acceptsAMeterIssuedByTheAnchor() {
        CertificateCheck check = verifier.verify(meter, Role.METER, "meter-001", NOW.plusSeconds(60));
        assertEquals(OK, check.reason(), check.detail());
        assertTrue(check.ok());
    }

    @Test
    void acceptsAHeadEnd() {
        X509Certificate headEnd = pki.issue(Role.HEAD_END, "he-1", 11).cert();
        assertEquals(OK, verifier.verify(headEnd, Role.HEAD_END, "he-1", NOW).reason());
    }

    @Test
    void refusesACertificateOfAnotherCa() {
        TestPki other = new TestPki(); // same CA name, different key
        X509Certificate foreign = other.issue(Role.METER, "meter-001", 10).cert();
        assertEquals(BAD_SIGNATURE, verifier.verify(foreign, Role.METER, "meter-001", NOW).reason());
    }

    @Test
    void refusesACertificateWhoseSignatureWasTamperedWith() {
        byte[] der = Pem.certificateToDer(meter);
        der[der.length - 5] ^= 1; // inside the signature value
        X509Certificate tampered = Pem.certificateFromDer(der);
        assertEquals(BAD_SIGNATURE, verifier.verify(tampered, Role.METER, "meter-001", NOW).reason());
    }

    @Test
    void refusesACertificateFromAnotherIssuerName() {
        CaCredentials other = CertificateAuthority.create("Other CA", Duration.ofDays(3650), NOW, RND);
        X509Certificate foreign = CertificateAuthority.issue(other, Role.METER, "meter-001",
                IdentityKeys.generate(RND).getPublic(), YEAR, NOW, BigInteger.TEN);
        CertificateCheck check = verifier.verify(foreign, Role.METER, "meter-001", NOW);
        assertEquals(BAD_SIGNATURE, check.reason());
        assertTrue(check.detail().contains("Other CA"), check.detail());
    }

    @Test
    void refusesBeforeNotBeforeAndAfterNotAfter() {
        assertEquals(NOT_YET_VALID, verifier.verify(meter, Role.METER, "meter-001", NOW.minusSeconds(1)).reason());
        assertEquals(OK, verifier.verify(meter, Role.METER, "meter-001", NOW.plus(YEAR)).reason());
        assertEquals(EXPIRED,
                verifier.verify(meter, Role.METER, "meter-001", NOW.plus(YEAR).plusSeconds(1)).reason());
    }

    @Test
    void refusesARevokedSerialAndAcceptsOthers() {
        X509Certificate other = pki.issue(Role.METER, "meter-002", 12).cert();
        X509CRL crl = RevocationLists.create(pki.ca, List.of(BigInteger.valueOf(10)), NOW, NOW.plus(Duration.ofDays(7)));
        CertificateVerifier withCrl = new CertificateVerifier(pki.ca.certificate(), Optional.of(crl));
        assertEquals(REVOKED, withCrl.verify(meter, Role.METER, "meter-001", NOW).reason());
        assertEquals(OK, withCrl.verify(other, Role.METER, "meter-002", NOW).reason());
    }

    @Test
    void failsClosedOnceTheCrlIsPastItsNextUpdate() {
        X509CRL crl = RevocationLists.create(pki.ca, List.of(), NOW, NOW.plus(Duration.ofDays(7)));
        CertificateVerifier withCrl = new CertificateVerifier(pki.ca.certificate(), Optional.of(crl));
        assertEquals(OK, withCrl.verify(meter, Role.METER, "meter-001", NOW.plus(Duration.ofDays(7))).reason());
        CertificateCheck stale = withCrl.verify(meter, Role.METER, "meter-001", NOW.plus(Duration.ofDays(8)));
        assertEquals(CRL_OUTDATED, stale.reason());
        assertTrue(stale.detail().contains("due for renewal"), stale.detail());
    }

    @Test
    void refusesACrlSignedByAnotherCa() {
        TestPki other = new TestPki(); // same issuer name, other key: only the signature tells them apart
        X509CRL forged = RevocationLists.create(other.ca, List.of(), NOW, NOW.plus(Duration.ofDays(7)));
        PkiFormatException e = assertThrows(PkiFormatException.class,
                () -> new CertificateVerifier(pki.ca.certificate(), Optional.of(forged)));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void refusesACrlOfAnotherIssuerName() {
        CaCredentials other = CertificateAuthority.create("Other CA", Duration.ofDays(3650), NOW, RND);
        X509CRL foreign = RevocationLists.create(other, List.of(), NOW, NOW.plus(Duration.ofDays(7)));
        assertThrows(PkiFormatException.class,
                () -> new CertificateVerifier(pki.ca.certificate(), Optional.of(foreign)));
    }

    @Test
    void refusesAHeadEndPresentedAsMeterAndViceVersa() {
        X509Certificate headEnd = pki.issue(Role.HEAD_END, "meter-001", 13).cert();
        assertEquals(WRONG_ROLE, verifier.verify(headEnd, Role.METER, "meter-001", NOW).reason());
        assertEquals(WRONG_ROLE, verifier.verify(meter, Role.HEAD_END, "meter-001", NOW).reason());
        X509Certificate broker = pki.issue(Role.BROKER, "meter-001", 14).cert();
        assertEquals(WRONG_ROLE, verifier.verify(broker, Role.METER, "meter-001", NOW).reason());
    }

    @Test
    void refusesAnotherMetersName() {
        CertificateCheck check = verifier.verify(meter, Role.METER, "meter-002", NOW);
        assertEquals(WRONG_NAME, check.reason());
        assertTrue(check.detail().contains("meter-002"), check.detail());
    }

    @Test
    void refusesTheCaCertificateItselfAsAnEndEntity() {
        assertEquals(MALFORMED, verifier.verify(pki.ca.certificate(), Role.METER, "Test Provisioning CA", NOW).reason());
    }

    @Test
    void refusesACertificateWithoutACommonName() throws Exception {
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(pki.ca.certificate(),
                BigInteger.valueOf(99), java.util.Date.from(NOW), java.util.Date.from(NOW.plus(YEAR)),
                new org.bouncycastle.asn1.x500.X500Name("O=no common name"), IdentityKeys.generate(RND).getPublic());
        X509Certificate nameless = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(builder.build(CertificateAuthority.signer(pki.ca.key())));
        assertEquals(MALFORMED, verifier.verify(nameless, Role.METER, "meter-001", NOW).reason());
    }

    @Test
    void refusesAnAnchorThatIsNotACa() {
        assertThrows(PkiFormatException.class, () -> new CertificateVerifier(meter, Optional.empty()));
    }
}
