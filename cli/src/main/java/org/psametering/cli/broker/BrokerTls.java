package org.psametering.cli.broker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS listener for {@link MosquittoBroker}, as config/mosquitto/tls.conf sets one up: TLS 1.3, client certificates of
 * {@code caFile} required, the certificate's CN as the username, optionally a CRL and an ACL file.
 */
public record BrokerTls(Path caFile, Path certFile, Path keyFile, Optional<Path> crlFile, Optional<Path> aclFile) {

    public BrokerTls {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(crlFile, "crlFile");
        Objects.requireNonNull(aclFile, "aclFile");
    }

    /** mosquitto.conf lines for the listener just opened, plus the ACL. */
    String config() {
        StringBuilder lines = new StringBuilder()
                .append("cafile ").append(caFile.toAbsolutePath()).append('\n')
                .append("certfile ").append(certFile.toAbsolutePath()).append('\n')
                .append("keyfile ").append(keyFile.toAbsolutePath()).append('\n')
                .append("tls_version tlsv1.3\n")
                .append("require_certificate true\n")
                .append("use_identity_as_username true\n");
        crlFile.ifPresent(crl -> lines.append("crlfile ").append(crl.toAbsolutePath()).append('\n'));
        aclFile.ifPresent(acl -> lines.append("acl_file ").append(acl.toAbsolutePath()).append('\n'));
        return lines.toString();
    }
}
