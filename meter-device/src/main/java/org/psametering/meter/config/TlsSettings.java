package org.psametering.meter.config;

import java.nio.file.Path;

/**
 * The meter's TLS files for an {@code ssl://} broker (config {@code mqtt.tls}), all PEM as {@code ./psa pki} writes
 * them: the provisioning CA's certificate (the only trust anchor), the meter's own certificate (CN = meter id) and its
 * private key (keep it 0600), and optionally the CA's CRL (then a revoked or stale-listed broker is refused).
 *
 * @param caFile   the CA certificate ({@code ca.crt})
 * @param certFile the meter's certificate ({@code <meter-id>.crt})
 * @param keyFile  the meter's private key ({@code <meter-id>.key}); SECRET
 * @param crlFile  optional CRL ({@code crl.pem}); null for none
 */
public record TlsSettings(Path caFile, Path certFile, Path keyFile, Path crlFile) {
    public TlsSettings {
        if (caFile == null) {
            throw new ConfigException("mqtt.tls.caFile: missing (the provisioning CA's certificate, ca.crt)");
        }
        if (certFile == null) {
            throw new ConfigException("mqtt.tls.certFile: missing (this meter's certificate from ./psa pki issue-meter)");
        }
        if (keyFile == null) {
            throw new ConfigException("mqtt.tls.keyFile: missing (this meter's private key from ./psa pki issue-meter)");
        }
    }
}
