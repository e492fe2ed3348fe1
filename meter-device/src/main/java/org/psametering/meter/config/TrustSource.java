package org.psametering.meter.config;

import java.time.Clock;
import org.psametering.meter.agent.MeterTrust;

/**
 * Where a meter's {@link MeterTrust} comes from: PEM files named in meter.yaml ({@link TrustFiles}), or material a
 * simulation provisioned in memory. Loaded when the meter starts, with the meter's clock (certificate validity is
 * judged on it).
 */
@FunctionalInterface
public interface TrustSource {

    /** @throws ConfigException if the material cannot be read or does not fit this meter */
    MeterTrust load(String meterId, Clock clock);

    /** Material already in memory, e.g. from a throw-away CA of a simulation. */
    static TrustSource of(MeterTrust trust) {
        return (meterId, clock) -> trust;
    }
}
