package org.psametering.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 with Ed25519 certificates through JSSE on loopback: the client trusts only servers of the CA with the
 * expected role, so a head-end certificate (a TLS server certificate for the HTTP API) cannot pose as the broker.
 */
class TlsContextsTest {

    private static final Instant NOW = Instant.now();
    private final CaCredentials ca = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), TestPki.RND);
    private long serial = 1;

    private record Party(X509Certificate cert, KeyPair keys) {}

    private Party party(CaCredentials issuer, Role role, String name) {
        KeyPair keys = IdentityKeys.generate(TestPki.RND);
        return new Party(CertificateAuthority.issue(issuer, role, name, List.of("127.0.0.1"), keys.getPublic(), Duration.ofDays(10),
                NOW.minusSeconds(60), BigInteger.valueOf(serial++)), keys);
    }

    /** Runs one handshake between a server presenting {@code server} and {@code client}; returns the protocol or throws. */
    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the client's verdict is what the test checks
                }
            });
            try (SSLSocket socket = (SSLSocket) TlsContexts.socketFactory(client)
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertEquals(1, socket.getInputStream().read());
                return socket.getSession().getProtocol();
            } finally {
                accepted.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private SSLContext meterClient(Optional<X509CRL> crl) {
        Party meter = party(ca, Role.METER, "meter-001");
        return TlsContexts.client(ca.certificate(), meter.cert(), meter.keys().getPrivate(), crl, Role.BROKER);
    }

    @Test
    void aMeterReachesTheBrokerOverTls13WithEd25519() throws Exception {
        Party broker = party(ca, Role.BROKER, "broker");
        assertEquals("TLSv1.3", handshake(TlsContexts.server(broker.cert(), broker.keys().getPrivate()), meterClient(Optional.empty())));
    }

    @Test
    void aHeadEndCertificateCannotPoseAsTheBroker() {
        Party headEnd = party(ca, Role.HEAD_END, "head-end");
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(TlsContexts.server(headEnd.cert(), headEnd.keys().getPrivate()), meterClient(Optional.empty())));
        assertTrue(String.valueOf(e.getCause()).contains("not a BROKER certificate"), String.valueOf(e.getCause()));
    }

    @Test
    void aBrokerOfAnotherCaIsRefused() {
        CaCredentials other = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), TestPki.RND);
        Party broker = party(other, Role.BROKER, "broker");
        assertThrows(SSLHandshakeException.class,
                () -> handshake(TlsContexts.server(broker.cert(), broker.keys().getPrivate()), meterClient(Optional.empty())));
    }

    @Test
    void aRevokedBrokerAndAStaleCrlAreRefused() throws Exception {
        Party broker = party(ca, Role.BROKER, "broker");
        SSLContext server = TlsContexts.server(broker.cert(), broker.keys().getPrivate());
        X509CRL fresh = RevocationLists.create(ca, List.of(), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)));
        assertEquals("TLSv1.3", handshake(server, meterClient(Optional.of(fresh))), "a fresh CRL without it: accepted");
        X509CRL revoking = RevocationLists.create(ca, List.of(broker.cert().getSerialNumber()), NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(1)));
        assertThrows(SSLHandshakeException.class, () -> handshake(server, meterClient(Optional.of(revoking))));
        X509CRL stale = RevocationLists.create(ca, List.of(), NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
        assertThrows(SSLHandshakeException.class, () -> handshake(server, meterClient(Optional.of(stale))),
                "fail-closed: a CRL past its nextUpdate proves nothing");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() {
        Party meter = party(ca, Role.METER, "meter-001");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.client(ca.certificate(),
                meter.cert(), IdentityKeys.generate(TestPki.RND).getPrivate(), Optional.empty(), Role.BROKER));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }
}
