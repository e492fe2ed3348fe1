package org.psametering.hardware;

/** A {@code sensor:} setting is missing or out of range; the message starts with the setting's path, e.g. {@code sensor.pin}. */
public class InvalidSensorConfigException extends IllegalArgumentException {

    private final String setting;

    public InvalidSensorConfigException(String setting, String problem) {
        super(setting + ": " + problem);
        this.setting = setting;
    }

    /** The full path of the offending setting, e.g. {@code sensor.pin}. */
    public String setting() {
        return setting;
    }
}
