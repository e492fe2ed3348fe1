package org.psametering.headend.core;

/**
 * Thrown by the core when it refuses an inbound message. Without a stack trace: rejections are expected traffic
 * (a flood of forged messages must not cost a stack walk each).
 */
public final class Rejected extends RuntimeException {
    private final RejectReason reason;

    public Rejected(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
