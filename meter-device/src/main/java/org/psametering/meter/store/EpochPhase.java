package org.psametering.meter.store;

/** How far this meter got with one epoch's key setup. */
public enum EpochPhase {
    /** Keys generated and public key published; waiting for the key set. */
    KEY_SETUP,
    /** Blinded key derived and published; waiting for the head-end to announce the epoch active. */
    BLINDED_SENT,
    /** The head-end announced the epoch active: ciphertexts of labels from {@code activeFromLabel} use its key. */
    ACTIVE
}
