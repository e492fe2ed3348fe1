package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * HTTP API. Port 0 picks a free port (tests, demo); -1 disables the API. Bound to 127.0.0.1 unless told otherwise.
 *
 * @param tls       optional HTTPS: {@code certFile} and {@code keyFile} (e.g. from {@code ./psa pki issue-head-end}); null
 *                  for plain HTTP
 * @param tokenFile optional file holding the access token: then every request except {@code GET /health} must carry
 *                  {@code Authorization: Bearer <token>} or gets 401; null for no token (fine on loopback only)
 */
public record HttpSettings(@JsonProperty("port") Integer port, @JsonProperty("bindAddress") String bindAddress,
                           @JsonProperty("tls") TlsFiles tls, @JsonProperty("tokenFile") Path tokenFile) {
    public HttpSettings {
        port = port == null ? 8080 : port;
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress;
        if (port < -1 || port > 65_535) {
            throw new ConfigException("http.port must be -1 (off), 0 (any free port) or 1..65535, got " + port);
        }
        if (tls != null) {
            tls.requireIdentity("http.tls");
        }
    }

    /** Plain HTTP without a token. */
    public HttpSettings(Integer port, String bindAddress) {
        this(port, bindAddress, null, null);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(null, null);
    }

    public boolean enabled() {
        return port >= 0;
    }
}
