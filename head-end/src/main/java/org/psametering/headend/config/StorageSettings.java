package org.psametering.headend.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Database: an embedded H2 file in the data directory unless {@code jdbcUrl} names another (e.g. PostgreSQL).
 *
 * @param h2Sync embedded H2 only: force each ingest batch to the disk (fsync, {@code CHECKPOINT SYNC}) before its
 *               messages are acknowledged (default true). False only writes it to the operating system
 *               ({@code CHECKPOINT}): a head-end crash still loses nothing acknowledged, but an OS crash or power cut can
 *               lose ciphertexts the broker already dropped. PostgreSQL's commit is durable either way.
 */
public record StorageSettings(
        @JsonProperty("jdbcUrl") String jdbcUrl,
        @JsonProperty("user") String user,
        @JsonProperty("password") String password,
        @JsonProperty("poolSize") Integer poolSize,
        @JsonProperty("h2Sync") Boolean h2Sync) {

    public StorageSettings(String jdbcUrl, String user, String password, Integer poolSize) {
        this(jdbcUrl, user, password, poolSize, null);
    }

    public StorageSettings {
        h2Sync = h2Sync == null || h2Sync;
        poolSize = poolSize == null ? 4 : poolSize;
        if (jdbcUrl != null && !jdbcUrl.isBlank() && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("storage.jdbcUrl '" + jdbcUrl + "' is not supported: use jdbc:h2:... or jdbc:postgresql://...");
        }
        if (poolSize < 2 || poolSize > 64) {
            throw new ConfigException("storage.poolSize must be 2..64, got " + poolSize);
        }
    }

    public static StorageSettings defaults() {
        return new StorageSettings(null, null, null, null, null);
    }

    /** The JDBC URL to use: the configured one, or an H2 file database under {@code dataDir}. */
    public String effectiveUrl(Path dataDir) {
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            return jdbcUrl;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("head-end") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public StorageSettings withJdbcUrl(String url) {
        return new StorageSettings(url, user, password, poolSize, h2Sync);
    }

    public StorageSettings withH2Sync(boolean sync) {
        return new StorageSettings(jdbcUrl, user, password, poolSize, sync);
    }

    @Override
    public String toString() {
        return "StorageSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + ", h2Sync=" + h2Sync + "]";
    }
}
