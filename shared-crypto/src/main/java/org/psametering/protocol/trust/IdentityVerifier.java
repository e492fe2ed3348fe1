package org.psametering.protocol.trust;

import java.security.PublicKey;

/**
 * "Is this certificate valid for member X?": checks a certificate (DER) against the trust anchor the party was
 * configured with (signature chain, validity at the current time, revocation list, role, subject CN) and returns the
 * signing key it vouches for. Implementations may cache per certificate, but must judge validity and revocation afresh.
 */
public interface IdentityVerifier {

    /**
     * @return the Ed25519 key of a valid Role METER certificate whose CN is {@code meterId}
     * @throws UntrustedIdentityException naming why not
     */
    PublicKey meter(byte[] certificateDer, String meterId);

    /**
     * @return the Ed25519 key of a valid Role HEAD_END certificate whose CN is {@code name}
     * @throws UntrustedIdentityException naming why not
     */
    PublicKey headEnd(byte[] certificateDer, String name);
}
