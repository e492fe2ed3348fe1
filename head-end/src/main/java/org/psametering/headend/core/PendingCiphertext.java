package org.psametering.headend.core;

import org.psametering.crypto.psa.Ciphertext;

/** An accepted ciphertext waiting for the rest of its time-step (the label is the ciphertext's). */
public record PendingCiphertext(String group, long epoch, String meter, Ciphertext ciphertext) {
    public long label() {
        return ciphertext.label();
    }
}
