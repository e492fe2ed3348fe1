package org.psametering.crypto.dmcfe;

/**
 * The secrets client i shares with each other client j of its group, e.g. X25519(sk_i, pk_j). Both ends of a
 * pair must return the same bytes (at least 32, high entropy); they are only fed into HKDF and not modified.
 */
@FunctionalInterface
public interface PairwiseSecrets {

    byte[] sharedWith(int otherIndex);
}
