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

    /**
     * Picks up a changed revocation list now, if this verifier watches one ({@link CrlFileTrust}); else nothing. Called
     * before a meter checks a key set and on the head-end's reload, so a member revoked meanwhile is refused there.
     */
    default void refresh() {
    }

    /**
     * As {@link #meter}, with the key decoded for verifying (implementations that cache certificates keep it decoded,
     * so a meter's per-epoch checks skip the point decompression).
     *
     * @throws UntrustedIdentityException naming why not, also if the certificate's key is no valid Ed25519 key
     */
    default VerifyingKey meterKey(byte[] certificateDer, String meterId) {
        return VerifyingKey.of(meter(certificateDer, meterId)).orElseThrow(() -> new UntrustedIdentityException(
                UntrustedIdentityException.MESSAGE_SIGNATURE, "the certificate of meter '" + meterId
                + "' does not carry a valid Ed25519 key"));
    }
}
