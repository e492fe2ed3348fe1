package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * PEM files for a TLS endpoint, as {@code ./psa pki} writes them: the provisioning CA's certificate (trust anchor),
 * the head-end's own certificate and private key (0600), and optionally the CA's CRL. Used by {@code mqtt.tls} (mutual
 * TLS to the broker) and {@code http.tls} (HTTPS; there caFile and crlFile are not used). Paths are relative to the
 * working directory.
 */
public record TlsFiles(@JsonProperty("caFile") Path caFile, @JsonProperty("certFile") Path certFile,
                       @JsonProperty("keyFile") Path keyFile, @JsonProperty("crlFile") Path crlFile) {

    /** Throws unless the files a TLS client needs are named; {@code section} is e.g. {@code mqtt.tls}. */
    public TlsFiles requireClientFiles(String section) {
        require(section, "caFile", caFile);
        requireIdentity(section);
        return this;
    }

    /** Throws unless the own certificate and key are named. */
    public TlsFiles requireIdentity(String section) {
        require(section, "certFile", certFile);
        require(section, "keyFile", keyFile);
        return this;
    }

    private static void require(String section, String key, Path value) {
        if (value == null) {
            throw new ConfigException(section + "." + key + " is missing (a PEM file from ./psa pki)");
        }
    }
}
