package org.psametering.meter.store;

/**
 * The state file cannot be trusted. The meter refuses to start rather than guess, because a guessed "last label" could
 * make it encrypt a label twice under the same key; the message says which file and what is wrong.
 */
public final class CorruptStateException extends RuntimeException {
    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
