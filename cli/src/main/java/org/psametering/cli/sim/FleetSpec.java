package org.psametering.cli.sim;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated fleet is: how many meters, in which group, on which broker and clock.
 *
 * @param meters       number of meters, ids {@code <idPrefix>001 ..}
 * @param groupId      the group every meter joins
 * @param brokerUrl    MQTT broker, e.g. {@code tcp://127.0.0.1:1883}
 * @param seed         household profiles use seeds {@code seed, seed+1, ...}, so a run is reproducible and households differ
 * @param dataDir      parent of each meter's own state directory, or null for in-memory state
 * @param clock        the clock the meters and their sensors read (accelerated in the demo)
 * @param tickInterval how often (real time) meters check whether a step ended
 * @param idPrefix     meter id prefix
 */
public record FleetSpec(int meters, String groupId, String brokerUrl, long seed, Path dataDir, Clock clock, Duration tickInterval,
                        String idPrefix) {
    public FleetSpec {
        if (meters < 1) {
            throw new IllegalArgumentException("--meters must be at least 1, got " + meters);
        }
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(idPrefix, "idPrefix");
    }

    /** Id of meter number {@code index} (0-based). */
    public String meterId(int index) {
        return meterId(idPrefix, index);
    }

    /** Id of meter number {@code index} (0-based) with the given prefix; 3 digits at least, so ids sort like numbers up to 999. */
    public static String meterId(String idPrefix, int index) {
        return idPrefix + String.format("%03d", index + 1);
    }

    /** The household seed of meter number {@code index}. */
    public long seedOf(int index) {
        return seed + index;
    }
}
