package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.psametering.protocol.ProtocolIds;

/**
 * Several head-ends sharing the groups (the {@code cluster:} section; absent: this head-end owns every group, as
 * always). Each group is owned by one live instance through a lease in PostgreSQL; see README "Running several
 * head-ends".
 *
 * @param instanceId   this instance's name, unique in the cluster (lease owner, MQTT client-id suffix, heartbeat)
 * @param leaseSeconds how long a lease lasts without renewal (default 10): a survivor takes the groups of a dead
 *                     instance after at most leaseSeconds + renewSeconds
 * @param renewSeconds how often leases are renewed and free groups taken (default 3); must be well below leaseSeconds
 */
public record ClusterSettings(
        @JsonProperty("instanceId") String instanceId,
        @JsonProperty("leaseSeconds") Integer leaseSeconds,
        @JsonProperty("renewSeconds") Integer renewSeconds) {

    public ClusterSettings {
        if (instanceId == null || instanceId.isBlank()) {
            throw new ConfigException("cluster.instanceId: required (a name unique among the head-ends sharing the database)");
        }
        try {
            ProtocolIds.require("cluster.instanceId", instanceId);
        } catch (RuntimeException e) {
            throw new ConfigException("cluster.instanceId: " + e.getMessage());
        }
        leaseSeconds = leaseSeconds == null ? 10 : leaseSeconds;
        renewSeconds = renewSeconds == null ? 3 : renewSeconds;
        if (leaseSeconds < 2 || leaseSeconds > 600) {
            throw new ConfigException("cluster.leaseSeconds must be 2..600, got " + leaseSeconds);
        }
        if (renewSeconds < 1 || renewSeconds * 2 > leaseSeconds) {
            throw new ConfigException("cluster.renewSeconds must be 1..leaseSeconds/2 (two renewals per lease at least), got "
                    + renewSeconds + " with leaseSeconds " + leaseSeconds);
        }
    }
}
