package org.psametering.protocol.trust;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.crypto.pki.Role;

/**
 * A provisioning CA made for one run and thrown away with it: the demo, simulations, soak runs, benchmarks and tests
 * use it so that signatures are always on without an operator running {@code ./psa pki}. It issues a meter
 * certificate per meter id (on first use) and one head-end certificate named {@link #HEAD_END_NAME}. Nothing is
 * written to disk; the CA key dies with the process.
 */
public final class ThrowawayPki {

    /** The head-end's certificate CN (meters are configured to expect it). */
    public static final String HEAD_END_NAME = "psa-head-end";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final CaCredentials ca;
    private final SecureRandom random;
    private final Instant issuedAt;
    private final Map<String, Issued> meters = new HashMap<>();
    private final Map<String, Issued> headEnds = new HashMap<>();
    private long nextSerial = 2;

    /** An issued identity: its signing identity, certificate and private key (for writing PEM files). */
    public record Issued(SigningIdentity identity, X509Certificate certificate, java.security.PrivateKey privateKey) {
        @Override
        public String toString() {
            return "Issued[" + certificate.getSubjectX500Principal().getName() + ", key hidden]";
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    private ThrowawayPki(SecureRandom random, Instant now) {
        this.random = random;
        // a day back: a simulation's clock may run a little behind the wall clock
        this.issuedAt = now.minus(Duration.ofDays(1));
        this.ca = CertificateAuthority.create("psa throw-away CA " + Long.toHexString(random.nextLong()), VALIDITY.plusDays(2),
                issuedAt, random);
    }

    public static ThrowawayPki create(SecureRandom random) {
        return new ThrowawayPki(random, Instant.now());
    }

    /** The CA certificate meters and the head-end trust. */
    public X509Certificate anchor() {
        return ca.certificate();
    }

    /** The meter's identity, issued on first use (certificate CN = meter id, Role METER). */
    public synchronized Issued meter(String meterId) {
        return meters.computeIfAbsent(meterId, id -> issue(Role.METER, id));
    }

    /** The head-end's identity (CN {@link #HEAD_END_NAME}, Role HEAD_END). */
    public Issued headEnd() {
        return headEnd(HEAD_END_NAME);
    }

    /** A head-end identity of another name (tests: a second, rogue head-end). */
    public synchronized Issued headEnd(String name) {
        return headEnds.computeIfAbsent(name, n -> issue(Role.HEAD_END, n));
    }

    private Issued issue(Role role, String name) {
        KeyPair keys = IdentityKeys.generate(random);
        X509Certificate certificate = CertificateAuthority.issue(ca, role, name, keys.getPublic(), VALIDITY, issuedAt,
                BigInteger.valueOf(nextSerial++));
        return new Issued(SigningIdentity.of(keys.getPrivate(), certificate), certificate, keys.getPrivate());
    }

    /** A CRL of this CA listing the given meters' certificates, valid for a year. */
    public synchronized X509CRL revoking(Collection<String> meterIds) {
        List<BigInteger> serials = meterIds.stream().map(id -> meter(id).serial()).toList();
        Instant now = Instant.now();
        return RevocationLists.create(ca, serials, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    /** A verifier trusting this CA, without a CRL. */
    public IdentityVerifier verifier(Clock clock) {
        return new CertificateTrust(anchor(), Optional.empty(), clock);
    }

    /** A verifier trusting this CA with the given CRL. */
    public IdentityVerifier verifier(Clock clock, X509CRL crl) {
        return new CertificateTrust(anchor(), Optional.of(crl), clock);
    }
}
