package org.psametering.meter;

/**
 * Observes meters from inside the process (the demo prints the true sum next to the head-end's decrypted one).
 * Called on meter worker threads: implementations must be thread-safe and quick.
 */
public interface MeterListener {

    /** A reading was encrypted for {@code label} and queued for sending; {@code wattHours} is the plaintext. */
    default void onReadingEncrypted(String meterId, long label, long wattHours) {
    }

    /**
     * The broker acknowledged the ciphertext of {@code label} under {@code epoch}, and the meter dropped it from its
     * outbox: from here on only the broker and the head-end hold it (the soak checks that none of these is lost).
     */
    default void onCiphertextAcknowledged(String meterId, long epoch, long label) {
    }

    /** The head-end announced {@code epoch} active and this meter holds its key. */
    default void onEpochActive(String meterId, long epoch, long activeFromLabel) {
    }

    MeterListener NONE = new MeterListener() {
    };
}
