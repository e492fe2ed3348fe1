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

/**
 * The meter's TLS client for its broker, from the PEM files in {@code mqtt.tls}. Checks at start that the meter's own
 * certificate is a valid METER certificate of the configured CA for this meter id and that the key belongs to it, so a
 * wrong file is a clear configuration error here rather than an anonymous handshake failure at the broker.
 */
public final class MeterTls {

    private MeterTls() {}

    /** A socket factory for Paho: TLS 1.3, this meter's certificate, trusting only BROKER certificates of the CA. */
    public static SSLSocketFactory socketFactory(TlsSettings files, String meterId, Instant now) {
        X509Certificate ca = read(files.caFile(), "mqtt.tls.caFile", Pem::readCertificate);
        X509Certificate own = read(files.certFile(), "mqtt.tls.certFile", Pem::readCertificate);
        PrivateKey key = read(files.keyFile(), "mqtt.tls.keyFile", Pem::readPrivateKey);
        Optional<X509CRL> crl = files.crlFile() == null
                ? Optional.empty()
                : Optional.of(read(files.crlFile(), "mqtt.tls.crlFile", Pem::readCrl));
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
            return TlsContexts.socketFactory(TlsContexts.client(ca, own, key, crl, Role.BROKER));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mqtt.tls.keyFile " + files.keyFile() + ": " + e.getMessage(), e);
        }
    }

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
