package org.psametering.meter.agent;

/** A message the meter does not believe; the message says why without any secret. */
final class RefusedByTrust extends RuntimeException {

    private final TrustRefusal reason;

    RefusedByTrust(TrustRefusal reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    TrustRefusal reason() {
        return reason;
    }
}
