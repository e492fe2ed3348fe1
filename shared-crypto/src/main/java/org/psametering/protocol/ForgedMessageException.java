package org.psametering.protocol;

/** A well-formed message whose authentication tag does not verify: forged, altered, or sent under another key. */
public final class ForgedMessageException extends RuntimeException {
    public ForgedMessageException(String message) {
        super(message);
    }
}
