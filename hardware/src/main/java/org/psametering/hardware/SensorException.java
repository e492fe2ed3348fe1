package org.psametering.hardware;

/** The sensor hardware (or its data source) could not be opened or read. */
public class SensorException extends RuntimeException {

    public SensorException(String message) {
        super(message);
    }

    public SensorException(String message, Throwable cause) {
        super(message, cause);
    }
}
