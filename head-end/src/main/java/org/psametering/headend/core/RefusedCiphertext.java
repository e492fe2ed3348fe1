package org.psametering.headend.core;

/**
 * An authentic ciphertext the head-end refused by rule rather than for being bad, kept as evidence of what happened to
 * it (e.g. {@link RejectReason#AFTER_RECOVERY}: its label's recovery had been requested). Only authenticated ciphertexts
 * of members get here, at most one per (meter, label), so the record stays as small as the step inputs it replaces.
 */
public record RefusedCiphertext(String group, long epoch, String meter, long label, RejectReason reason) {
}
