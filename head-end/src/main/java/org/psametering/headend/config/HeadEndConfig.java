package org.psametering.headend.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The whole head-end configuration (config/head-end.yaml). Missing sections take their defaults; see the
 * documented example file for every setting.
 *
 * @param tickMillis how often (real time) the head-end checks deadlines; the demo's accelerated clock wants it small
 * @param trust      identity, CA and CRL files; required to start (signatures are always on), absent only while a
 *                   configuration is being assembled or checked
 * @param cluster    several instances sharing the groups through PostgreSQL (null: this one owns every group)
 */
public record HeadEndConfig(
        @JsonProperty("dataDir") Path dataDir,
        @JsonProperty("mqtt") MqttSettings mqtt,
        @JsonProperty("storage") StorageSettings storage,
        @JsonProperty("http") HttpSettings http,
        @JsonProperty("tickMillis") Integer tickMillis,
        @JsonProperty("groups") List<GroupSettings> groups,
        @JsonProperty("trust") TrustSettings trust,
        @JsonProperty("cluster") ClusterSettings cluster) {

    /** Without trust settings (to be added with {@link #withTrust}). */
    public HeadEndConfig(Path dataDir, MqttSettings mqtt, StorageSettings storage, HttpSettings http, Integer tickMillis,
                         List<GroupSettings> groups) {
        this(dataDir, mqtt, storage, http, tickMillis, groups, null, null);
    }

    /** Without a cluster section: this head-end owns every group. */
    public HeadEndConfig(Path dataDir, MqttSettings mqtt, StorageSettings storage, HttpSettings http, Integer tickMillis,
                         List<GroupSettings> groups, TrustSettings trust) {
        this(dataDir, mqtt, storage, http, tickMillis, groups, trust, null);
    }


    public HeadEndConfig {
        dataDir = dataDir == null ? Path.of("data", "head-end") : dataDir;
        mqtt = mqtt == null ? MqttSettings.defaults() : mqtt;
        storage = storage == null ? StorageSettings.defaults() : storage;
        http = http == null ? HttpSettings.defaults() : http;
        tickMillis = tickMillis == null ? 1000 : tickMillis;
        if (tickMillis < 10 || tickMillis > 60_000) {
            throw new ConfigException("tickMillis must be 10..60000, got " + tickMillis);
        }
        if (groups == null || groups.isEmpty()) {
            throw new ConfigException("groups: at least one group must be configured");
        }
        Set<String> ids = new HashSet<>();
        for (GroupSettings group : groups) {
            if (group == null) {
                throw new ConfigException("groups: empty entry");
            }
            if (!ids.add(group.id())) {
                throw new ConfigException("groups: id '" + group.id() + "' is configured twice");
            }
            group.requireServableGraph();
        }
        groups = List.copyOf(groups);
        if (cluster != null && !storage.effectiveUrl(dataDir).startsWith("jdbc:postgresql:")) {
            throw new ConfigException("cluster: needs PostgreSQL storage (storage.jdbcUrl: jdbc:postgresql://...), the database the"
                    + " instances share; the embedded H2 serves a single head-end: remove the cluster section or configure PostgreSQL");
        }
    }

    public HeadEndConfig withDataDir(Path dir) {
        return new HeadEndConfig(dir, mqtt, storage, http, tickMillis, groups, trust, cluster);
    }

    public HeadEndConfig withMqtt(MqttSettings settings) {
        return new HeadEndConfig(dataDir, settings, storage, http, tickMillis, groups, trust, cluster);
    }

    public HeadEndConfig withStorage(StorageSettings settings) {
        return new HeadEndConfig(dataDir, mqtt, settings, http, tickMillis, groups, trust, cluster);
    }

    public HeadEndConfig withHttp(HttpSettings settings) {
        return new HeadEndConfig(dataDir, mqtt, storage, settings, tickMillis, groups, trust, cluster);
    }

    public HeadEndConfig withTrust(TrustSettings settings) {
        return new HeadEndConfig(dataDir, mqtt, storage, http, tickMillis, groups, settings, cluster);
    }

    public HeadEndConfig withCluster(ClusterSettings settings) {
        return new HeadEndConfig(dataDir, mqtt, storage, http, tickMillis, groups, trust, settings);
    }

    public HeadEndConfig withGroups(List<GroupSettings> newGroups) {
        return new HeadEndConfig(dataDir, mqtt, storage, http, tickMillis, newGroups, trust, cluster);
    }
}
