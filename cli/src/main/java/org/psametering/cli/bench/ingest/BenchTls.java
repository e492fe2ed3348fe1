package org.psametering.cli.bench.ingest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.psametering.cli.broker.BrokerTls;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;
import org.psametering.headend.config.TlsFiles;

/**
 * A throw-away PKI for the TLS run of the ingest benchmark, in the run's temp directory: a CA, the broker's and the
 * head-end's certificates as files (as Mosquitto and the head-end read them), and one METER certificate for the load
 * generator's connections (the broker runs without the ACL, because the generator publishes for every meter).
 */
final class BenchTls {
    private final Path dir;
    private final CaCredentials ca;
    private final SSLSocketFactory clients;
    private final SecureRandom rnd = new SecureRandom();
    private long serial = 1;

    BenchTls(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        Instant now = Instant.now().minusSeconds(60);
        ca = CertificateAuthority.create("Bench CA", Duration.ofDays(1), now, rnd);
        write("ca.crt", Pem.writeCertificate(ca.certificate()));
        issueFiles(Role.BROKER, "broker", List.of("127.0.0.1", "localhost"), now);
        issueFiles(Role.HEAD_END, "head-end", List.of(), now);
        KeyPair load = IdentityKeys.generate(rnd);
        X509Certificate loadCert = CertificateAuthority.issue(ca, Role.METER, "bench-load", load.getPublic(), Duration.ofHours(12), now,
                BigInteger.valueOf(serial++));
        clients = TlsContexts.socketFactory(TlsContexts.client(ca.certificate(), loadCert, load.getPrivate(), Optional.empty(), Role.BROKER));
    }

    private void issueFiles(Role role, String name, List<String> hosts, Instant now) throws IOException {
        KeyPair keys = IdentityKeys.generate(rnd);
        X509Certificate cert = CertificateAuthority.issue(ca, role, name, hosts, keys.getPublic(), Duration.ofHours(12), now,
                BigInteger.valueOf(serial++));
        write(name + ".crt", Pem.writeCertificate(cert));
        write(name + ".key", Pem.writePrivateKey(keys.getPrivate()));
    }

    private void write(String name, String pem) throws IOException {
        Files.writeString(dir.resolve(name), pem);
    }

    BrokerTls broker() {
        return new BrokerTls(dir.resolve("ca.crt"), dir.resolve("broker.crt"), dir.resolve("broker.key"), Optional.empty(), Optional.empty());
    }

    TlsFiles headEnd() {
        return new TlsFiles(dir.resolve("ca.crt"), dir.resolve("head-end.crt"), dir.resolve("head-end.key"), null);
    }

    /** The load generator's and watchers' socket factory (TLS 1.3, client certificate "bench-load"). */
    SSLSocketFactory clients() {
        return clients;
    }
}
