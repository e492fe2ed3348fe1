package org.psametering.headend.core;

/**
 * A copy of a ciphertext whose first copy is reserved in the same batch but not yet stored. It may be acknowledged
 * (as a DUPLICATE) only once that first copy is stored: if the store fails, both stay unacknowledged and come again.
 */
public final class AwaitingStore extends RuntimeException {
    public AwaitingStore(String message) {
        super(message, null, false, false);
    }
}
