package org.psametering.headend.core;

/** Key-setup progress of one (group, epoch). */
public enum EpochPhase {
    /** Announcement published; waiting for every member's X25519 public key. */
    ANNOUNCED,
    /** Keyset published; waiting for every member's blinded key. */
    KEYSET_PUBLISHED,
    /** Aggregation key derived; ciphertexts of this epoch are collected. */
    ACTIVE,
    /** Replaced by a newer epoch before it became active; never used for aggregation. */
    SUPERSEDED
}
