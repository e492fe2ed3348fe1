package org.psametering.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.crypto.pki.TestPki.NOW;
import static org.psametering.crypto.pki.TestPki.RND;
import static org.psametering.crypto.pki.TestPki.YEAR;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The certificate profile documented in shared-crypto/README.md section 12. */
class CertificateAuthorityTest {

    private final TestPki pki = new TestPki();

    @Test
    void caIsASelfSignedEd25519CaCertificate() throws Exception {
        X509Certificate ca = pki.ca.certificate();
        assertEquals("Ed25519", ((java.security.interfaces.EdECPublicKey) ca.getPublicKey()).getParams().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertEquals(0, ca.getBasicConstraints());
        assertTrue(ca.getKeyUsage()[5] && ca.getKeyUsage()[6], "keyCertSign and cRLSign");
        assertEquals(Optional.of("Test Provisioning CA"), CertificateVerifier.commonName(ca));
        assertFalse(pki.ca.toString().contains("Ed25519 private"), pki.ca.toString());
    }

    @Test
    void meterCertificateNamesTheMeterAndItsRole() throws Exception {
        TestPki.Issued meter = pki.issue(Role.METER, "meter-001", 7);
        X509Certificate cert = meter.cert();
        assertEquals(Optional.of("meter-001"), CertificateVerifier.commonName(cert));
        assertEquals(Optional.of(Role.METER), CertificateVerifier.role(cert));
        assertEquals(BigInteger.valueOf(7), cert.getSerialNumber());
        assertEquals(meter.keys().getPublic(), cert.getPublicKey());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of(Role.METER.oidString(), "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertEquals(NOW, cert.getNotBefore().toInstant());
        assertEquals(NOW.plus(YEAR), cert.getNotAfter().toInstant());
    }

    @Test
    void headEndIsTlsClientAndServer() throws Exception {
        X509Certificate cert = pki.issue(Role.HEAD_END, "he-1", 8).cert();
        assertEquals(Optional.of(Role.HEAD_END), CertificateVerifier.role(cert));
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
    }

    @Test
    void brokerCertificateCarriesItsHostNames() throws Exception {
        X509Certificate cert = CertificateAuthority.issue(pki.ca, Role.BROKER, "broker",
                List.of("localhost", "127.0.0.1"), IdentityKeys.generate(RND).getPublic(), YEAR, NOW, BigInteger.TWO);
        var names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(0) + "=" + n.get(1)).toList();
        assertEquals(List.of("2=localhost", "7=127.0.0.1"), names);
    }

    @Test
    void refusesNamesThatCannotBeAnMqttUsernameOrTopicSegment() {
        var key = IdentityKeys.generate(RND).getPublic();
        for (String bad : new String[] {"", "meter/001", "meter+", "#", "a b", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class,
                    () -> CertificateAuthority.issue(pki.ca, Role.METER, bad, key, YEAR, NOW, BigInteger.ONE), bad);
        }
    }

    @Test
    void refusesValidityBeyondTheCaAndNonPositiveSerials() {
        var key = IdentityKeys.generate(RND).getPublic();
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.issue(pki.ca, Role.METER, "m", key,
                Duration.ofDays(3651), NOW, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.issue(pki.ca, Role.METER, "m", key,
                YEAR, NOW, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.issue(pki.ca, Role.METER, "m", key,
                Duration.ZERO, NOW, BigInteger.ONE));
    }
}
