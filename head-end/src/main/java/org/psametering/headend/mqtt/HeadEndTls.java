package org.psametering.headend.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;
import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.TlsFiles;
import org.psametering.protocol.trust.CrlFileTrust;

/**
 * The head-end's TLS endpoints from PEM files: the mutual-TLS client for the broker ({@code mqtt.tls}) and the server
 * context of the HTTP API ({@code http.tls}). Checks at start that the own certificate is a valid HEAD_END certificate
 * (of the configured CA, for the MQTT link) and that the key belongs to it, so a wrong file is a clear configuration
 * error here rather than an anonymous handshake failure later.
 */
public final class HeadEndTls {

    private HeadEndTls() {}

    /**
     * Paho's socket factory for {@code mqtt.tls}: TLS 1.3, the head-end's certificate, trusting only BROKER
     * certificates of the CA. With {@code expectedName} (the configured MQTT username) the certificate's CN must be it:
     * the broker takes the CN as the username, and the ACL grants the head-end's rights to that name only.
     */
    public static SSLSocketFactory mqttSocketFactory(TlsFiles files, Optional<String> expectedName, Instant now) {
        return mqttClient(files, expectedName, now).socketFactory();
    }

    /** How often the broker link's CRL file is looked at besides once per connect (a handshake always looks). */
    static final java.time.Duration CRL_CHECK = java.time.Duration.ofSeconds(60);

    /**
     * The TLS client of the broker link and, with {@code mqtt.tls.crlFile}, the watcher of that file: the CRL is read
     * again at every handshake if the file changed, so a broker revoked while the head-end runs is refused at the next
     * connect without a restart; a file that cannot be loaded keeps the previous CRL and makes {@code /health} degraded.
     * One per head-end, shared by all its MQTT sessions, so that file has one watcher, the one {@code /health} reports.
     *
     * @param connections a socket factory for one connection, each of its own TLS context: a context remembers the
     *                    sessions it made, and a resumed session (the broker's session ticket) skips the check of the
     *                    broker's certificate, the CRL with it; so every connection makes a full handshake
     */
    public record Client(java.util.function.Supplier<SSLSocketFactory> connections, Optional<CrlFileTrust> crl) {

        /** A socket factory for the next connection (a fresh TLS context: no session to resume). */
        public SSLSocketFactory socketFactory() {
            return connections.get();
        }
    }

    /** As {@link #mqttSocketFactory}, with the CRL file's watcher. */
    public static Client mqttClient(TlsFiles files, Optional<String> expectedName, Instant now) {
        files.requireClientFiles("mqtt.tls");
        X509Certificate ca = read(files.caFile(), "mqtt.tls.caFile", Pem::readCertificate);
        X509Certificate own = read(files.certFile(), "mqtt.tls.certFile", Pem::readCertificate);
        PrivateKey key = read(files.keyFile(), "mqtt.tls.keyFile", Pem::readPrivateKey);
        Optional<CrlFileTrust> watched;
        try {
            watched = files.crlFile() == null ? Optional.empty() : Optional.of(CrlFileTrust.open(ca, files.crlFile(),
                    java.time.Clock.systemUTC(), CRL_CHECK, new CrlLog()));
        } catch (PkiFormatException e) {
            throw new ConfigException("mqtt.tls.crlFile: " + e.getMessage(), e);
        }
        Optional<X509CRL> crl = watched.map(CrlFileTrust::crl);
        String name = expectedName.orElseGet(() -> CertificateVerifier.commonName(own).orElse(""));
        CertificateCheck check;
        try {
            check = new CertificateVerifier(ca, crl).verify(own, Role.HEAD_END, name, now);
        } catch (PkiFormatException e) {
            throw new ConfigException("mqtt.tls: " + e.getMessage(), e);
        }
        if (!check.ok()) {
            throw new ConfigException("mqtt.tls.certFile " + files.certFile() + ": " + check.reason() + ": " + check.detail()
                    + (check.reason() == CertificateCheck.Reason.WRONG_NAME ? " (mqtt.username)" : ""));
        }
        try {
            TlsContexts.checkKeyMatches(own, key); // now: the contexts are made later, at each connect
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mqtt.tls.keyFile " + files.keyFile() + ": " + e.getMessage(), e);
        }
        return new Client(() -> TlsContexts.socketFactory(context(ca, own, key, crl, watched)), watched);
    }

    private static SSLContext context(X509Certificate ca, X509Certificate own, PrivateKey key, Optional<X509CRL> crl,
                                      Optional<CrlFileTrust> watched) {
        return watched.isEmpty() ? TlsContexts.client(ca, own, key, crl, Role.BROKER)
                : TlsContexts.client(ca, own, key, () -> Optional.of(watched.get().latestCrl()), Role.BROKER);
    }

    /** The HTTPS server context for {@code http.tls}: the head-end's certificate and key (no client certificates). */
    public static SSLContext httpServerContext(TlsFiles files) {
        files.requireIdentity("http.tls");
        X509Certificate own = read(files.certFile(), "http.tls.certFile", Pem::readCertificate);
        PrivateKey key = read(files.keyFile(), "http.tls.keyFile", Pem::readPrivateKey);
        try {
            return TlsContexts.server(own, key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.tls.keyFile " + files.keyFile() + ": " + e.getMessage(), e);
        }
    }

    /** Reports the broker link's CRL reloads: a new list at INFO, one that could not be used at ERROR. */
    private static final class CrlLog implements CrlFileTrust.Listener {
        @Override
        public void loaded(Path file, X509CRL list) {
            LOG.info("mqtt.tls.crlFile {} reloaded: {} revoked, next update {}", file,
                    org.psametering.crypto.pki.RevocationLists.revokedSerials(list).size(), list.getNextUpdate().toInstant());
        }

        @Override
        public void failed(Path file, String reason) {
            LOG.error("mqtt.tls.crlFile {} not reloaded: {}", file, reason);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeadEndTls.class);

    private static <T> T read(Path file, String setting, Function<String, T> parse) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse.apply(text);
        } catch (PkiFormatException e) {
            throw new ConfigException(setting + ": " + file + ": " + e.getMessage(), e);
        }
    }
}
