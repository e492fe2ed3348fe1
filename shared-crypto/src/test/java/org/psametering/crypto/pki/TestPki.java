package org.psametering.crypto.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** A CA and a few certificates at a fixed time, for the tests of this package. */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration YEAR = Duration.ofDays(365);
    static final SecureRandom RND = new SecureRandom();

    final CaCredentials ca = CertificateAuthority.create("Test Provisioning CA", Duration.ofDays(3650), NOW, RND);

    Issued issue(Role role, String name, long serial) {
        KeyPair keys = IdentityKeys.generate(RND);
        X509Certificate cert = CertificateAuthority.issue(ca, role, name, keys.getPublic(), YEAR, NOW,
                BigInteger.valueOf(serial));
        return new Issued(keys, cert);
    }

    record Issued(KeyPair keys, X509Certificate cert) {}
}
