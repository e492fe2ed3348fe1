package org.psametering.headend.core;

/**
 * Thrown by the core when it refuses an inbound message. Without a stack trace: rejections are expected traffic
 * (a flood of forged messages must not cost a stack walk each).
 */
public final class Rejected extends RuntimeException {
    private final RejectReason reason;
    private final transient RefusedCiphertext refused;

    public Rejected(RejectReason reason, String message) {
        this(reason, message, null);
    }

    /** A refusal of an authentic ciphertext that the head-end records (see {@link RefusedCiphertext}). */
    public Rejected(RejectReason reason, String message, RefusedCiphertext refused) {
        super(message, null, false, false);
        this.reason = reason;
        this.refused = refused;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The authentic ciphertext refused by rule, to be recorded before the refusal is acknowledged; empty otherwise. */
    public java.util.Optional<RefusedCiphertext> refused() {
        return java.util.Optional.ofNullable(refused);
    }
}
