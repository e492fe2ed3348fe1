package org.psametering.headend.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Database: an embedded H2 file in the data directory unless {@code jdbcUrl} names another (e.g. PostgreSQL). */
public record StorageSettings(
        @JsonProperty("jdbcUrl") String jdbcUrl,
        @JsonProperty("user") String user,
        @JsonProperty("password") String password,
        @JsonProperty("poolSize") Integer poolSize) {

    public StorageSettings {
        poolSize = poolSize == null ? 4 : poolSize;
        if (jdbcUrl != null && !jdbcUrl.isBlank() && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("storage.jdbcUrl '" + jdbcUrl + "' is not supported: use jdbc:h2:... or jdbc:postgresql://...");
        }
        if (poolSize < 2 || poolSize > 64) {
            throw new ConfigException("storage.poolSize must be 2..64, got " + poolSize);
        }
    }

    public static StorageSettings defaults() {
        return new StorageSettings(null, null, null, null);
    }

    /** The JDBC URL to use: the configured one, or an H2 file database under {@code dataDir}. */
    public String effectiveUrl(Path dataDir) {
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            return jdbcUrl;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("head-end") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public StorageSettings withJdbcUrl(String url) {
        return new StorageSettings(url, user, password, poolSize);
    }

    @Override
    public String toString() {
        return "StorageSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + "]";
    }
}
