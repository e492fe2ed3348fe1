package org.psametering.crypto.wire;

/** A byte string that is not a valid encoding of what was expected; the message names the offending field. */
public final class MalformedEncodingException extends RuntimeException {

    public MalformedEncodingException(String message) {
        super(message);
    }

    public MalformedEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
