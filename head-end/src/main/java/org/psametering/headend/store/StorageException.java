package org.psametering.headend.store;

/** A database operation failed; the message says which. The caller decides whether to retry or stop. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
