package org.psametering.hardware;

/**
 * A simulated household, deterministic for its seed.
 *
 * @param seed          selects the household's random appliance use; give every simulated meter its own seed
 * @param baseLoadWatts always-on load (fridge, standby, router)
 * @param maxWatts      the household's connection limit; simulated power never exceeds it
 */
public record SimulatedSensorConfig(long seed, double baseLoadWatts, double maxWatts) implements SensorConfig {

    public static final String TYPE = "simulated";

    public SimulatedSensorConfig {
        if (!(maxWatts >= 100 && maxWatts <= 100_000)) {
            throw new InvalidSensorConfigException("sensor.maxWatts", "must be 100..100000 W, got " + maxWatts);
        }
        if (!(baseLoadWatts >= 0 && baseLoadWatts < maxWatts)) {
            throw new InvalidSensorConfigException("sensor.baseLoadWatts",
                    "must be >= 0 and below sensor.maxWatts (" + maxWatts + "), got " + baseLoadWatts);
        }
    }

    /** A typical flat: 150 W base load, 11 kW limit. */
    public static SimulatedSensorConfig withSeed(long seed) {
        return new SimulatedSensorConfig(seed, 150, 11_000);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
