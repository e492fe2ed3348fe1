package org.psametering.crypto.pki;

/**
 * Bytes or text that are not a well-formed certificate, CRL or private key of the kind asked for. The only exception
 * the decoders in this package throw for bad input; the message says what is wrong and never echoes key material.
 */
public final class PkiFormatException extends RuntimeException {
    public PkiFormatException(String message) {
        super(message);
    }

    public PkiFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
