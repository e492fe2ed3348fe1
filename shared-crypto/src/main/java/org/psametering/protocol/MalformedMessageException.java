package org.psametering.protocol;

/** A payload or topic that does not follow the protocol; the message names what is wrong. */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
