package org.psametering.cli.bench.ingest;

import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.protocol.PacketLimits;

/**
 * Validated settings of one ingest benchmark run; {@code brokerUrl} null means "start a local Mosquitto".
 *
 * @param burst hold the head-end's link while a step is published, then release it: measures how fast the head-end drains
 *              ciphertexts already waiting at the broker, independent of how fast the publishing clients are
 * @param h2Sync the head-end's {@code storage.h2Sync}: fsync each batch before acknowledging it (false: write to the OS only)
 * @param tls    run twice in one process, plain TCP then TLS 1.3 with client certificates, each against its own Mosquitto
 * @param loadProcess publish the meters' messages from a separate JVM ({@link ProcessLoadGenerator}) instead of this one
 */
record IngestSettings(int meters, String brokerUrl, int steps, int connections, PsaParameters params, long seed, boolean burst,
                      boolean h2Sync, boolean tls, boolean loadProcess) {
    /**
     * The largest group whose signed key set fits {@link PacketLimits#CLIENT_MAX_PACKET_BYTES}: each member's entry
     * carries its signed key and certificate, about 0.8 KB in the key set's JSON (docs/threat-model.md, "Size").
     */
    static final int MAX_METERS = 2_500;

    IngestSettings {
        if (tls && brokerUrl != null) {
            throw new IllegalArgumentException("--tls starts its own Mosquitto brokers (plain and TLS); leave out --broker");
        }
        if (tls && loadProcess) {
            throw new IllegalArgumentException("--load-process is for plain TCP; leave out --tls");
        }
        if (meters < 2 || meters > MAX_METERS) {
            throw new IllegalArgumentException("--meters must be 2.." + MAX_METERS + ", got " + meters + ": the signed key set of a"
                    + " larger group exceeds the MQTT packet limit (" + PacketLimits.CLIENT_MAX_PACKET_BYTES + " bytes, PacketLimits)"
                    + " and key setup could not finish");
        }
        if (steps < 1 || steps > 100) {
            throw new IllegalArgumentException("--steps must be 1..100, got " + steps);
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections must be 1..64, got " + connections);
        }
        Objects.requireNonNull(params, "params");
        params.maxReading(meters); // throws, naming the limit, if the group is too large for the parameter set
    }
}
