package org.psametering.meter.config;

/** A setting is missing or wrong; the message names it (e.g. {@code mqtt.broker}) and says what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
