package org.psametering.hardware;

/**
 * The parsed {@code sensor:} section of meter.yaml; one record per sensor type.
 * Each record validates itself, so a config built in code fails as clearly as one read from YAML.
 */
public sealed interface SensorConfig
        permits SimulatedSensorConfig, S0SensorConfig, CtAds1115SensorConfig, CsvReplaySensorConfig, SmlSensorConfig {

    /** The {@code sensor.type} value that selects this record. */
    String type();
}
