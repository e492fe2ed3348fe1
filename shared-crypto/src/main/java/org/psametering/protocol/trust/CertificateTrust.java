package org.psametering.protocol.trust;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.crypto.pki.Role;

/**
 * The {@link IdentityVerifier} of a meter or the head-end: the pki core's {@link CertificateVerifier} over the
 * configured trust anchor and optional CRL, with a cache.
 *
 * <p>Why a cache: a meter of a 1000-member group checks 1000 certificates per key setup, and the same certificates
 * again every epoch. A certificate once found valid for (role, name) under this anchor and CRL stays so except for
 * time, so a hit re-checks only its validity period and the CRL's nextUpdate (both cheap comparisons); the CRL cannot
 * change under a {@code CertificateTrust} (a new CRL means a new instance, see {@link #withCrl}). Each entry also
 * keeps the key decoded for verifying ({@link VerifyingKey}), so the signatures checked every epoch skip the point
 * decompression. Only accepted certificates are cached, at
 * most {@link #MAX_CACHED}; the cache is cleared when full rather than grown.
 */
public final class CertificateTrust implements IdentityVerifier {

    static final int MAX_CACHED = 100_000;

    private final CertificateVerifier verifier;
    private final Clock clock;
    private final ConcurrentHashMap<Der, Accepted> accepted = new ConcurrentHashMap<>();

    /**
     * A certificate's DER as a map key. Not a ByteBuffer: its hashCode reads byte by byte, while Arrays.hashCode is a
     * vectorized intrinsic, and a meter looks up one certificate per neighbour and epoch (80 per key setup in a
     * 10 000-member sparse group, 10 000 in a complete one). The array is never modified while it is a key.
     */
    private record Der(byte[] bytes, int hash) {
        Der(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der other && hash == other.hash && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** @param verifying the key decoded for verifying, or null if it is no valid Ed25519 key */
    private record Accepted(Role role, String name, PublicKey key, VerifyingKey verifying, BigInteger serial,
                            Instant notBefore, Instant notAfter) {
    }

    /** @throws PkiFormatException if the anchor is no CA certificate or the CRL is not the anchor's */
    public CertificateTrust(X509Certificate trustAnchor, Optional<X509CRL> crl, Clock clock) {
        this(new CertificateVerifier(trustAnchor, crl), clock);
    }

    private CertificateTrust(CertificateVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The same trust under another CRL of the same anchor (a CRL reloaded at run time). The accepted certificates are
     * kept except those the new CRL lists, so a reload costs no re-check of every member's certificate, and a newly
     * revoked one is refused from the first check on.
     *
     * @throws PkiFormatException if the CRL is not the anchor's
     */
    public CertificateTrust withCrl(Optional<X509CRL> crl) {
        CertificateTrust next = new CertificateTrust(new CertificateVerifier(verifier.trustAnchor(), crl), clock);
        Set<BigInteger> revoked = crl.map(RevocationLists::revokedSerials).orElse(Set.of());
        accepted.forEach((der, entry) -> {
            if (!revoked.contains(entry.serial())) {
                next.accepted.put(der, entry);
            }
        });
        return next;
    }

    public X509Certificate trustAnchor() {
        return verifier.trustAnchor();
    }

    public Optional<X509CRL> crl() {
        return verifier.crl();
    }

    @Override
    public VerifyingKey meterKey(byte[] certificateDer, String meterId) {
        Accepted entry = check(certificateDer, Role.METER, meterId);
        if (entry.verifying() == null) {
            throw new UntrustedIdentityException(UntrustedIdentityException.MESSAGE_SIGNATURE, "the certificate of meter '"
                    + meterId + "' does not carry a valid Ed25519 key");
        }
        return entry.verifying();
    }

    @Override
    public PublicKey meter(byte[] certificateDer, String meterId) {
        return check(certificateDer, Role.METER, meterId).key();
    }

    @Override
    public PublicKey headEnd(byte[] certificateDer, String name) {
        return check(certificateDer, Role.HEAD_END, name).key();
    }

    private Accepted check(byte[] der, Role role, String name) {
        Instant now = clock.instant();
        // look up by the caller's bytes (a hit is every member of every epoch after the first); copy them only to insert
        Accepted hit = accepted.get(new Der(der));
        if (hit != null && hit.role() == role && hit.name().equals(name) && !now.isBefore(hit.notBefore())
                && !now.isAfter(hit.notAfter()) && crlCurrent(now)) {
            return hit;
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
        PublicKey key = certificate.getPublicKey();
        Accepted entry = new Accepted(role, name, key, VerifyingKey.of(key).orElse(null), certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        accepted.put(new Der(der.clone()), entry);
        return entry;
    }

    private boolean crlCurrent(Instant now) {
        return verifier.crl().map(list -> !now.isAfter(list.getNextUpdate().toInstant())).orElse(true);
    }
}
