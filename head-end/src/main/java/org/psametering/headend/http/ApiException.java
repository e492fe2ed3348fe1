package org.psametering.headend.http;

/** A request the API refuses with a status and a message for the client (no stack trace: it is not a fault). */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
