package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;
import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.config.TlsFiles;
import org.slf4j.LoggerFactory;

/** The head-end's side of transport security: the plain-TCP warning and the checks of its TLS files. */
class HeadEndTransportSecurityTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    private List<String> warningsFor(String broker) {
        Logger logger = (Logger) LoggerFactory.getLogger(MqttTransport.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.WARN); // the test logback config keeps only errors
        logger.addAppender(appender);
        try {
            new MqttTransport(new MqttSettings(broker, "he", null, null, 60L), m -> { }).close();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void warnsWhenPlainTcpGoesToAnotherMachine() {
        List<String> warnings = warningsFor("tcp://10.20.30.40:1883");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("10.20.30.40") && warnings.get(0).contains("without TLS"), warnings.get(0));
        assertEquals(List.of(), warningsFor("tcp://127.0.0.1:1883"));
        assertEquals(List.of(), warningsFor("tcp://localhost:1883"));
    }

    private TlsFiles files(Role role, String name) throws Exception {
        CaCredentials ca = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), RND);
        KeyPair keys = IdentityKeys.generate(RND);
        var cert = CertificateAuthority.issue(ca, role, name, keys.getPublic(), Duration.ofDays(10), NOW.minusSeconds(60), BigInteger.ONE);
        return new TlsFiles(Files.writeString(dir.resolve("ca.crt"), Pem.writeCertificate(ca.certificate())),
                Files.writeString(dir.resolve("he.crt"), Pem.writeCertificate(cert)),
                Files.writeString(dir.resolve("he.key"), Pem.writePrivateKey(keys.getPrivate())), null);
    }

    @Test
    void usesTheHeadEndCertificateForTheBrokerLink() throws Exception {
        TlsFiles tls = files(Role.HEAD_END, "head-end");
        assertNotNull(HeadEndTls.mqttSocketFactory(tls, Optional.of("head-end"), NOW));
        try (MqttTransport transport = new MqttTransport(
                new MqttSettings("ssl://127.0.0.1:8883", "he", "head-end", null, 60L).withTls(tls), m -> { })) {
            assertTrue(transport.options().getSocketFactory() instanceof javax.net.ssl.SSLSocketFactory);
        }
    }

    @Test
    void refusesAMeterCertificateAndAnotherName() throws Exception {
        TlsFiles meter = files(Role.METER, "head-end");
        ConfigException role = assertThrows(ConfigException.class, () -> HeadEndTls.mqttSocketFactory(meter, Optional.empty(), NOW));
        assertTrue(role.getMessage().contains("WRONG_ROLE"), role.getMessage());
        TlsFiles named = files(Role.HEAD_END, "he-2");
        ConfigException name = assertThrows(ConfigException.class, () -> HeadEndTls.mqttSocketFactory(named, Optional.of("head-end"), NOW));
        assertTrue(name.getMessage().contains("WRONG_NAME") && name.getMessage().contains("mqtt.username"), name.getMessage());
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        TlsFiles tls = files(Role.HEAD_END, "head-end");
        Files.writeString(tls.keyFile(), Pem.writePrivateKey(IdentityKeys.generate(RND).getPrivate()));
        ConfigException e = assertThrows(ConfigException.class, () -> HeadEndTls.mqttSocketFactory(tls, Optional.empty(), NOW));
        assertTrue(e.getMessage().startsWith("mqtt.tls.keyFile"), e.getMessage());
    }

    /** One TLS handshake of {@code client} against a server presenting {@code server}; throws if the client refuses. */
    private static void handshake(javax.net.ssl.SSLContext server, javax.net.ssl.SSLSocketFactory client) throws Exception {
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

    @Test
    void aBrokerRevokedWhileTheHeadEndRunsIsRefusedAtTheNextConnectWithoutARestart() throws Exception {
        CaCredentials ca = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), RND);
        KeyPair own = IdentityKeys.generate(RND);
        var cert = CertificateAuthority.issue(ca, Role.HEAD_END, "head-end", own.getPublic(), Duration.ofDays(10),
                NOW.minusSeconds(60), BigInteger.ONE);
        KeyPair brokerKeys = IdentityKeys.generate(RND);
        var broker = CertificateAuthority.issue(ca, Role.BROKER, "broker", List.of("127.0.0.1"), brokerKeys.getPublic(),
                Duration.ofDays(10), NOW.minusSeconds(60), BigInteger.TWO);
        Path crlFile = Files.writeString(dir.resolve("crl.pem"), Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(
                ca, List.of(), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)))));
        TlsFiles tls = new TlsFiles(Files.writeString(dir.resolve("ca.crt"), Pem.writeCertificate(ca.certificate())),
                Files.writeString(dir.resolve("he.crt"), Pem.writeCertificate(cert)),
                Files.writeString(dir.resolve("he.key"), Pem.writePrivateKey(own.getPrivate())), crlFile);
        javax.net.ssl.SSLContext server = org.psametering.crypto.pki.TlsContexts.server(broker, brokerKeys.getPrivate());
        javax.net.ssl.SSLSocketFactory factory = HeadEndTls.mqttSocketFactory(tls, Optional.of("head-end"), NOW);
        handshake(server, factory);
        Files.writeString(crlFile, Pem.writeCrl(org.psametering.crypto.pki.RevocationLists.create(ca,
                List.of(broker.getSerialNumber()), NOW.minusSeconds(30), NOW.plus(Duration.ofDays(1)))));
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> handshake(server, factory),
                "the same socket factory (no restart) refuses the broker the new CRL revokes");
    }
}
