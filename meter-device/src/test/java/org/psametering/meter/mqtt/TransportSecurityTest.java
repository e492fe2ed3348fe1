package org.psametering.meter.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;
import org.psametering.meter.config.ConfigException;
import org.psametering.meter.config.MqttSettings;
import org.psametering.meter.config.TlsSettings;
import org.slf4j.LoggerFactory;

/** The meter's side of transport security: the plain-TCP warning and the checks of its TLS files. */
class TransportSecurityTest {

    @TempDir
    Path dir;

    private static final SecureRandom RND = new SecureRandom();
    private static final Instant NOW = Instant.now();

    private List<ILoggingEvent> warningsFor(String brokerUrl) {
        Logger logger = (Logger) LoggerFactory.getLogger(PahoMeterConnection.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.WARN); // the test logback config keeps only errors
        logger.addAppender(appender);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            new PahoMeterConnection(MqttSettings.of(brokerUrl, "meter-1"), scheduler, null).close();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
            scheduler.shutdownNow();
        }
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void warnsWhenPlainTcpGoesToAnotherMachine() {
        List<ILoggingEvent> warnings = warningsFor("tcp://broker.example.net:1883");
        assertEquals(1, warnings.size(), warnings.toString());
        String message = warnings.get(0).getFormattedMessage();
        assertTrue(message.contains("without TLS") && message.contains("broker.example.net"), message);
    }

    @Test
    void staysQuietForLoopbackAndTls() {
        assertEquals(List.of(), warningsFor("tcp://127.0.0.1:1883"));
        assertEquals(List.of(), warningsFor("tcp://localhost:1883"));
        assertEquals(List.of(), warningsFor("ssl://broker.example.net:8883"));
    }

    private record Files3(TlsSettings settings, CaCredentials ca) {}

    private Files3 files(Role role, String name) throws Exception {
        CaCredentials ca = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), RND);
        KeyPair keys = IdentityKeys.generate(RND);
        X509Certificate cert = CertificateAuthority.issue(ca, role, name, keys.getPublic(), Duration.ofDays(10),
                NOW.minusSeconds(60), BigInteger.ONE);
        Path caFile = Files.writeString(dir.resolve("ca.crt"), Pem.writeCertificate(ca.certificate()));
        Path certFile = Files.writeString(dir.resolve("m.crt"), Pem.writeCertificate(cert));
        Path keyFile = Files.writeString(dir.resolve("m.key"), Pem.writePrivateKey(keys.getPrivate()));
        return new Files3(new TlsSettings(caFile, certFile, keyFile, null), ca);
    }

    @Test
    void buildsATls13FactoryFromGoodFiles() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        assertNotNull(MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PahoMeterConnection connection = new PahoMeterConnection(
                MqttSettings.of("ssl://127.0.0.1:8883", "meter-1").withTls(f.settings()), scheduler, null);
        try {
            assertNotNull(connection.options().getSocketFactory());
            // the files are read once, but each connect gets a TLS context of its own: no session to resume
            assertNotSame(connection.options().getSocketFactory(), connection.options().getSocketFactory(), "one per connection");
        } finally {
            connection.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void refusesAnotherMetersCertificate() throws Exception {
        Files3 f = files(Role.METER, "meter-2");
        ConfigException e = assertThrows(ConfigException.class, () -> MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        assertTrue(e.getMessage().contains("WRONG_NAME"), e.getMessage());
    }

    @Test
    void refusesAHeadEndCertificate() throws Exception {
        Files3 f = files(Role.HEAD_END, "meter-1");
        ConfigException e = assertThrows(ConfigException.class, () -> MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        assertTrue(e.getMessage().contains("WRONG_ROLE"), e.getMessage());
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        Files.writeString(f.settings().keyFile(), Pem.writePrivateKey(IdentityKeys.generate(RND).getPrivate()));
        ConfigException e = assertThrows(ConfigException.class, () -> MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        assertTrue(e.getMessage().contains("mqtt.tls.keyFile") && e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void namesTheSettingOfAMissingOrBrokenFile() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        Files.writeString(f.settings().caFile(), "not a certificate");
        ConfigException broken = assertThrows(ConfigException.class, () -> MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        assertTrue(broken.getMessage().startsWith("mqtt.tls.caFile"), broken.getMessage());
        Files.delete(f.settings().certFile());
        Files.writeString(f.settings().caFile(), Pem.writeCertificate(f.ca().certificate()));
        ConfigException missing = assertThrows(ConfigException.class, () -> MeterTls.socketFactory(f.settings(), "meter-1", NOW));
        assertTrue(missing.getMessage().startsWith("mqtt.tls.certFile: cannot read"), missing.getMessage());
    }

    @Test
    void tlsNeedsAnSslBrokerUrl() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        ConfigException e = assertThrows(ConfigException.class,
                () -> MqttSettings.of("tcp://127.0.0.1:1883", "meter-1").withTls(f.settings()));
        assertTrue(e.getMessage().contains("not an ssl:// URL"), e.getMessage());
    }

    /** One TLS handshake of {@code client} against a server presenting {@code server}; throws if the client refuses. */
    static void handshake(javax.net.ssl.SSLContext server, javax.net.ssl.SSLSocketFactory client) throws Exception {
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Void> accepted = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                } catch (java.io.IOException ignored) {
                    // the client's verdict is what the test checks
                }
            });
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client.createSocket(
                    java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertEquals(1, socket.getInputStream().read());
            } finally {
                accepted.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The same broker (same address, a server that hands out TLS 1.3 session tickets, as Mosquitto does) revoked
     * between two connects of one meter connection: the second connect must check the broker's certificate against
     * the new CRL. A socket factory kept for every connect resumes the first TLS session, and a resumed session checks
     * no certificate, so each connect must get a fresh TLS context.
     */
    @Test
    void aReconnectToTheSameBrokerRevokedMeanwhileIsRefusedNotResumed() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        KeyPair brokerKeys = IdentityKeys.generate(RND);
        X509Certificate broker = CertificateAuthority.issue(f.ca(), Role.BROKER, "broker", List.of("127.0.0.1"),
                brokerKeys.getPublic(), Duration.ofDays(10), NOW.minusSeconds(60), BigInteger.TWO);
        javax.net.ssl.SSLContext server = org.psametering.crypto.pki.TlsContexts.server(broker, brokerKeys.getPrivate());
        Path crlFile = dir.resolve("crl.pem");
        Files.writeString(crlFile, Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(f.ca(), List.of(),
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)))));
        TlsSettings settings = new TlsSettings(f.settings().caFile(), f.settings().certFile(), f.settings().keyFile(), crlFile);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PahoMeterConnection connection = new PahoMeterConnection(MqttSettings.of(
                    "ssl://127.0.0.1:" + listener.getLocalPort(), "meter-1").withTls(settings), scheduler, null);
            try {
                assertTrue(handshake(listener, (javax.net.ssl.SSLSocketFactory) connection.options().getSocketFactory()).isEmpty(), "the first connect");
                Files.writeString(crlFile, Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(f.ca(),
                        List.of(broker.getSerialNumber()), NOW.minusSeconds(30), NOW.plus(Duration.ofDays(1)))));
                java.util.Optional<Exception> refused = handshake(listener, (javax.net.ssl.SSLSocketFactory) connection.options().getSocketFactory());
                assertTrue(refused.isPresent(), "the reconnect resumed the TLS session of the revoked broker");
                assertTrue(refused.get() instanceof javax.net.ssl.SSLHandshakeException
                        && ConnectFailure.describe(refused.get()).contains("revoked"), refused.get().toString());
            } finally {
                connection.close();
                scheduler.shutdownNow();
            }
        }
    }

    /** One TLS connection through {@code listener} (which stays open); the client's failure if it refused the server. */
    private static java.util.Optional<Exception> handshake(javax.net.ssl.SSLServerSocket listener,
                                                           javax.net.ssl.SSLSocketFactory client) throws Exception {
        java.util.concurrent.CompletableFuture<Void> accepted = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) listener.accept()) {
                socket.startHandshake();
                socket.getOutputStream().write(1); // after the session ticket, so the client has it when it reads this
                socket.getOutputStream().flush();
                socket.getInputStream().read(); // until the client closes
            } catch (java.io.IOException ignored) {
                // the client's verdict is what the test checks
            }
        });
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client.createSocket(
                java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertEquals(1, socket.getInputStream().read());
            return java.util.Optional.empty();
        } catch (javax.net.ssl.SSLException e) {
            return java.util.Optional.of(e);
        } finally {
            accepted.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokerRevokedWhileTheMeterRunsIsRefusedAtTheNextConnectWithoutARestart() throws Exception {
        Files3 f = files(Role.METER, "meter-1");
        KeyPair brokerKeys = IdentityKeys.generate(RND);
        X509Certificate broker = CertificateAuthority.issue(f.ca(), Role.BROKER, "broker", List.of("127.0.0.1"),
                brokerKeys.getPublic(), Duration.ofDays(10), NOW.minusSeconds(60), BigInteger.TWO);
        javax.net.ssl.SSLContext server = org.psametering.crypto.pki.TlsContexts.server(broker, brokerKeys.getPrivate());
        Path crlFile = dir.resolve("crl.pem");
        Files.writeString(crlFile, Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(f.ca(), List.of(),
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)))));
        TlsSettings settings = new TlsSettings(f.settings().caFile(), f.settings().certFile(), f.settings().keyFile(), crlFile);
        javax.net.ssl.SSLSocketFactory factory = MeterTls.socketFactory(settings, "meter-1", NOW);
        handshake(server, factory);
        Files.writeString(crlFile, Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(f.ca(),
                List.of(broker.getSerialNumber()), NOW.minusSeconds(30), NOW.plus(Duration.ofDays(1)))));
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> handshake(server, factory),
                "the same socket factory (no restart) refuses the broker the new CRL revokes");
    }
}
