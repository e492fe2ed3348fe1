package org.psametering.meter.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;
import org.psametering.meter.config.ConfigException;
import org.psametering.meter.config.TlsSettings;
import org.psametering.protocol.trust.CrlFileTrust;

/**
 * The meter's TLS client for its broker, from the PEM files in {@code mqtt.tls}. Checks at start that the meter's own
 * certificate is a valid METER certificate of the configured CA for this meter id and that the key belongs to it, so a
 * wrong file is a clear configuration error here rather than an anonymous handshake failure at the broker.
 */
public final class MeterTls {

    private MeterTls() {}

    /** How often the broker link's CRL file is looked at besides once per connect (a handshake always looks). */
    static final java.time.Duration CRL_CHECK = java.time.Duration.ofSeconds(60);

    /**
     * The TLS client of the broker link and, with {@code mqtt.tls.crlFile}, the watcher of that file: the CRL is read
     * again at every handshake if the file changed, so a broker revoked while the meter runs is refused at the next
     * connect without a restart; a file that cannot be loaded keeps the previous CRL and shows in the meter's status.
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

    /**
     * A socket factory for one Paho connection: TLS 1.3, this meter's certificate, trusting only BROKER certificates
     * of the CA (use {@link #client} for a meter that reconnects: one factory per connection).
     */
    public static SSLSocketFactory socketFactory(TlsSettings files, String meterId, Instant now) {
        return client(files, meterId, now).socketFactory();
    }

    /** As {@link #socketFactory}, with the CRL file's watcher (for the meter's status). */
    public static Client client(TlsSettings files, String meterId, Instant now) {
        X509Certificate ca = read(files.caFile(), "mqtt.tls.caFile", Pem::readCertificate);
        X509Certificate own = read(files.certFile(), "mqtt.tls.certFile", Pem::readCertificate);
        PrivateKey key = read(files.keyFile(), "mqtt.tls.keyFile", Pem::readPrivateKey);
        Optional<CrlFileTrust> watched;
        try {
            watched = files.crlFile() == null ? Optional.empty() : Optional.of(CrlFileTrust.open(ca, files.crlFile(),
                    java.time.Clock.systemUTC(), CRL_CHECK, new CrlLog(meterId)));
        } catch (PkiFormatException e) {
            throw new ConfigException("mqtt.tls.crlFile: " + e.getMessage(), e);
        }
        Optional<X509CRL> crl = watched.map(CrlFileTrust::crl);
        CertificateCheck check;
        try {
            check = new CertificateVerifier(ca, crl).verify(own, Role.METER, meterId, now);
        } catch (PkiFormatException e) {
            throw new ConfigException("mqtt.tls: " + e.getMessage(), e);
        }
        if (!check.ok()) {
            throw new ConfigException("mqtt.tls.certFile " + files.certFile() + ": " + check.reason() + ": " + check.detail());
        }
        try {
            TlsContexts.checkKeyMatches(own, key); // now: the contexts are made later, at each connect
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mqtt.tls.keyFile " + files.keyFile() + ": " + e.getMessage(), e);
        }
        // the files are read once (above); only the TLS context is new per connection, and all share the one watcher
        return new Client(() -> TlsContexts.socketFactory(watched.isEmpty() ? TlsContexts.client(ca, own, key, crl, Role.BROKER)
                : TlsContexts.client(ca, own, key, () -> Optional.of(watched.get().latestCrl()), Role.BROKER)), watched);
    }

    /** Reports the broker link's CRL reloads: a new list at INFO, one that could not be used at ERROR. */
    private record CrlLog(String meterId) implements CrlFileTrust.Listener {
        @Override
        public void loaded(Path file, X509CRL list) {
            log.info("meter {}: mqtt.tls.crlFile {} reloaded: {} revoked, next update {}", meterId, file,
                    org.psametering.crypto.pki.RevocationLists.revokedSerials(list).size(), list.getNextUpdate().toInstant());
        }

        @Override
        public void failed(Path file, String reason) {
            log.error("meter {}: mqtt.tls.crlFile {} not reloaded: {}", meterId, file, reason);
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MeterTls.class);

    private static <T> T read(Path file, String setting, java.util.function.Function<String, T> parse) {
        String text;
        try {
            text = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
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
