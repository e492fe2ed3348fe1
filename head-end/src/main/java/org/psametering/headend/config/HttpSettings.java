package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** HTTP API. Port 0 picks a free port (tests, demo); -1 disables the API. */
public record HttpSettings(@JsonProperty("port") Integer port, @JsonProperty("bindAddress") String bindAddress) {
    public HttpSettings {
        port = port == null ? 8080 : port;
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress;
        if (port < -1 || port > 65_535) {
            throw new ConfigException("http.port must be -1 (off), 0 (any free port) or 1..65535, got " + port);
        }
    }

    public static HttpSettings defaults() {
        return new HttpSettings(null, null);
    }

    public boolean enabled() {
        return port >= 0;
    }
}
