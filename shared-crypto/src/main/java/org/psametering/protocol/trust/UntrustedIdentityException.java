package org.psametering.protocol.trust;

/**
 * A certificate or signature that cannot be believed. {@link #reason()} is a short stable name for counting:
 * a certificate check outcome (MALFORMED, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, REVOKED, WRONG_ROLE, WRONG_NAME) of
 * the certificate, or {@link #MESSAGE_SIGNATURE} when the certificate is fine but the message's signature is not.
 */
public final class UntrustedIdentityException extends RuntimeException {

    /** The reason of a message signature that does not verify under a valid certificate's key. */
    public static final String MESSAGE_SIGNATURE = "MESSAGE_SIGNATURE";

    private final String reason;

    public UntrustedIdentityException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
