package org.psametering.protocol;

/** The phase an announcement reports for a group's epoch. */
public enum GroupPhase {
    /** Keys are being set up; meters must not send ciphertexts of this epoch yet. */
    KEY_SETUP,
    /** The head-end holds the aggregation key; meters send ciphertexts from {@code activeFromLabel} on. */
    ACTIVE
}
