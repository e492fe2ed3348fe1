package org.psametering.protocol.trust;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.Role;

/**
 * The {@link IdentityVerifier} of a meter or the head-end: the pki core's {@link CertificateVerifier} over the
 * configured trust anchor and optional CRL, with a cache.
 *
 * <p>Why a cache: a meter of a 1000-member group checks 1000 certificates per key setup, and the same certificates
 * again every epoch. A certificate once found valid for (role, name) under this anchor and CRL stays so except for
 * time, so a hit re-checks only its validity period and the CRL's nextUpdate (both cheap comparisons); the CRL cannot
 * change under a {@code CertificateTrust} (a new CRL means a new instance). Only accepted certificates are cached, at
 * most {@link #MAX_CACHED}; the cache is cleared when full rather than grown.
 */
public final class CertificateTrust implements IdentityVerifier {

    static final int MAX_CACHED = 100_000;

    private final CertificateVerifier verifier;
    private final Clock clock;
    private final ConcurrentHashMap<ByteBuffer, Accepted> accepted = new ConcurrentHashMap<>();

    private record Accepted(Role role, String name, PublicKey key, Instant notBefore, Instant notAfter) {
    }

    /** @throws PkiFormatException if the anchor is no CA certificate or the CRL is not the anchor's */
    public CertificateTrust(X509Certificate trustAnchor, Optional<X509CRL> crl, Clock clock) {
        this.verifier = new CertificateVerifier(trustAnchor, crl);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public PublicKey meter(byte[] certificateDer, String meterId) {
        return check(certificateDer, Role.METER, meterId);
    }

    @Override
    public PublicKey headEnd(byte[] certificateDer, String name) {
        return check(certificateDer, Role.HEAD_END, name);
    }

    private PublicKey check(byte[] der, Role role, String name) {
        Instant now = clock.instant();
        ByteBuffer cacheKey = ByteBuffer.wrap(der.clone());
        Accepted hit = accepted.get(cacheKey);
        if (hit != null && hit.role() == role && hit.name().equals(name) && !now.isBefore(hit.notBefore())
                && !now.isAfter(hit.notAfter()) && crlCurrent(now)) {
            return hit.key();
        }
        X509Certificate certificate;
        try {
            certificate = Pem.certificateFromDer(der);
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw new UntrustedIdentityException(CertificateCheck.Reason.MALFORMED.name(), "certificate presented for "
                    + role + " '" + name + "' does not parse: " + e.getMessage());
        }
        CertificateCheck result = verifier.verify(certificate, role, name, now);
        if (!result.ok()) {
            throw new UntrustedIdentityException(result.reason().name(), result.detail());
        }
        if (accepted.size() >= MAX_CACHED) {
            accepted.clear();
        }
        accepted.put(cacheKey, new Accepted(role, name, certificate.getPublicKey(), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant()));
        return certificate.getPublicKey();
    }

    private boolean crlCurrent(Instant now) {
        return verifier.crl().map(list -> !now.isAfter(list.getNextUpdate().toInstant())).orElse(true);
    }
}
