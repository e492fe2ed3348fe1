package org.psametering.protocol;

/** The kinds of topic under {@code psa/v1/}; see {@link Topics} for their shapes. */
public enum TopicKind {
    ANNOUNCE, PUBKEY, KEYSET, BLINDED, CIPHERTEXT, RESULT, RECOVERY, RECOVERY_ANSWER
}
