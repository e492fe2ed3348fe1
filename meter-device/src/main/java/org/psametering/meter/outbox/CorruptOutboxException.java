package org.psametering.meter.outbox;

/** The persisted outbox cannot be read; the message says why (the file is left in place for inspection). */
public final class CorruptOutboxException extends RuntimeException {
    public CorruptOutboxException(String message) {
        super(message);
    }

    public CorruptOutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
