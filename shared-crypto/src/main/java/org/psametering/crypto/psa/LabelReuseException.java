package org.psametering.crypto.psa;

/**
 * Encrypting twice under one label would let the head-end subtract the two ciphertexts and learn the difference of the
 * readings, so an encryptor refuses every label not newer than the last one it used.
 */
public final class LabelReuseException extends RuntimeException {

    private final long label;
    private final long lastUsedLabel;

    public LabelReuseException(long label, long lastUsedLabel) {
        super("label " + label + " is not newer than the last used label " + lastUsedLabel
                + "; a label must never be encrypted twice");
        this.label = label;
        this.lastUsedLabel = lastUsedLabel;
    }

    public long label() {
        return label;
    }

    public long lastUsedLabel() {
        return lastUsedLabel;
    }
}
