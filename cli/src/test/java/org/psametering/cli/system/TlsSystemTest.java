package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.PsaMain;
import org.psametering.cli.broker.BrokerTls;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.TlsFiles;
import org.psametering.meter.config.TlsSettings;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;
import picocli.CommandLine;

/**
 * MQTT over TLS 1.3 with client certificates against a real Mosquitto configured like config/mosquitto/tls.conf
 * (require_certificate, use_identity_as_username, crlfile, the shipped ACL), with every certificate made by the
 * {@code ./psa pki} commands. Each refusal test first shows that a good client connects through the same code.
 */
class TlsSystemTest {
    private static final String GROUP = "g-tls";
    private static final int MEMBERS = 5;
    private static final Path ACL = Path.of("..", "config", "mosquitto", "acl");

    @TempDir
    Path dir;

    private Path ca;
    private Path pki;
    private MosquittoBroker broker;

    private static void psa(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = PsaMain.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(args), String.join(" ", args) + ": " + err);
    }

    @BeforeEach
    void setUp() {
        pki = dir.resolve("pki");
        ca = pki.resolve("ca");
        psa("pki", "init-ca", "--dir", ca.toString(), "--name", "TLS Test CA");
        psa("pki", "issue-broker", "--ca", ca.toString(), "--out", pki.resolve("broker").toString());
        psa("pki", "issue-head-end", "--ca", ca.toString(), "--out", pki.resolve("head-end").toString());
        for (String id : SystemRig.memberIds(MEMBERS)) {
            psa("pki", "issue-meter", "--ca", ca.toString(), "--id", id, "--out", pki.resolve(id).toString());
        }
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "m-revoked", "--out", pki.resolve("m-revoked").toString());
        broker = MosquittoBroker.startTls(dir.resolve("mosquitto"), new BrokerTls(ca.resolve("ca.crt"),
                pki.resolve("broker/broker.crt"), pki.resolve("broker/broker.key"), Optional.of(ca.resolve("crl.pem")),
                Optional.of(ACL)));
    }

    @AfterEach
    void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    private TlsSettings meterTls(String id) {
        Path own = pki.resolve(id);
        return new TlsSettings(own.resolve("ca.crt"), own.resolve(id + ".crt"), own.resolve(id + ".key"), ca.resolve("crl.pem"));
    }

    /** A TLS client factory for the certificate and key in {@code own}/{@code name}.crt/.key, trusting {@code anchor}. */
    private static SSLSocketFactory client(Path anchor, Path own, String name) throws IOException {
        return TlsContexts.socketFactory(TlsContexts.client(
                Pem.readCertificate(Files.readString(anchor)),
                Pem.readCertificate(Files.readString(own.resolve(name + ".crt"))),
                Pem.readPrivateKey(Files.readString(own.resolve(name + ".key"))), Optional.empty(), Role.BROKER));
    }

    private MqttClient connect(SSLSocketFactory tls) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), "t-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(tls);
        options.setConnectionTimeout(10);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    private void assertConnects(SSLSocketFactory tls) throws MqttException {
        MqttClient client = connect(tls);
        assertTrue(client.isConnected());
        client.disconnect();
        client.close();
    }

    private String brokerLog() throws IOException {
        return Files.readString(broker.logFile(), StandardCharsets.UTF_8);
    }

    /** Waits until the broker has logged {@code text} (it writes its log asynchronously to the client's failure). */
    private void awaitBrokerLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!brokerLog().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the broker did not log '" + text + "':\n" + brokerLog());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void meterAndHeadEndCompleteAStepOverMutualTls() throws Exception {
        Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), SystemRig.STEP_SECONDS) + 1, SystemRig.STEP_SECONDS);
        AcceleratedClock clock = AcceleratedClock.startingAt(origin,
                AcceleratedClock.speedupFor(Duration.ofSeconds(SystemRig.STEP_SECONDS), SystemRig.REAL_STEP));
        Duration tick = Duration.ofMillis(SystemRig.REAL_STEP.toMillis() / 40);
        GroupSettings group = LocalHeadEndConfig.group(GROUP, SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS, 120,
                SystemRig.memberIds(MEMBERS));
        HeadEndConfig plain = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), (int) tick.toMillis(), group);
        Path he = pki.resolve("head-end");
        HeadEndConfig config = plain.withMqtt(plain.mqtt().withTls(
                new TlsFiles(he.resolve("ca.crt"), he.resolve("head-end.crt"), he.resolve("head-end.key"), ca.resolve("crl.pem"))));
        String watcherId = SystemRig.memberIds(1).get(0);
        try (HeadEnd headEnd = HeadEnd.start(config, clock);
             ResultWatcher results = ResultWatcher.start(broker.url(), GROUP, client(ca.resolve("ca.crt"), pki.resolve(watcherId), watcherId));
             SimulatedFleet fleet = SimulatedFleet.empty(new FleetSpec(MEMBERS, GROUP, broker.url(), 42, null, clock, tick, SystemRig.ID_PREFIX))) {
            fleet.useTls(this::meterTls);
            for (int i = 0; i < MEMBERS; i++) {
                fleet.startMeter(i);
            }
            long first = fleet.activations().awaitActive(MEMBERS, 0, SystemRig.KEY_SETUP_WAIT).orElseThrow(
                    () -> new AssertionError("key setup over TLS did not finish; head-end rejections " + headEnd.rejections()));
            ResultMessage result = results.await(first, r -> r.status() == ResultStatus.COMPLETE, SystemRig.RESULT_WAIT)
                    .map(ResultWatcher.Received::result)
                    .orElseThrow(() -> new AssertionError("no result for label " + first + " over TLS"));
            assertEquals(ResultStatus.COMPLETE, result.status());
            assertEquals(fleet.truth().sumIfAll(first, MEMBERS).orElseThrow(), result.sum().orElseThrow(), "exact sum over TLS");
        }
        assertTrue(brokerLog().contains("u'head-end'"), "the broker took the head-end certificate's CN as its username");
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        assertConnects(client(ca.resolve("ca.crt"), pki.resolve("m-001"), "m-001"));
        SSLSocketFactory anonymous = TlsContexts.socketFactory(
                TlsContexts.clientWithoutCertificate(Pem.readCertificate(Files.readString(ca.resolve("ca.crt"))), Role.BROKER));
        assertThrows(MqttException.class, () -> connect(anonymous));
        awaitBrokerLog("peer did not return a certificate");
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        Path other = dir.resolve("other");
        psa("pki", "init-ca", "--dir", other.resolve("ca").toString(), "--name", "TLS Test CA"); // same name, other key
        psa("pki", "issue-meter", "--ca", other.resolve("ca").toString(), "--id", "m-001", "--out", other.resolve("m").toString());
        assertConnects(client(ca.resolve("ca.crt"), pki.resolve("m-001"), "m-001"));
        assertThrows(MqttException.class, () -> connect(client(ca.resolve("ca.crt"), other.resolve("m"), "m-001")));
        awaitBrokerLog("certificate verify failed");
    }

    @Test
    void aRevokedMeterIsRefused() throws Exception {
        SSLSocketFactory revoked = client(ca.resolve("ca.crt"), pki.resolve("m-revoked"), "m-revoked");
        assertConnects(revoked); // the same certificate before its revocation
        psa("pki", "revoke", "--ca", ca.toString(), "--serial", String.valueOf(3 + MEMBERS)); // m-revoked's serial
        broker.restart(); // Mosquitto reads crlfile at start
        assertConnects(client(ca.resolve("ca.crt"), pki.resolve("m-002"), "m-002"));
        assertThrows(MqttException.class, () -> connect(revoked));
        // Mosquitto logs no reason beyond OpenSSL's verify failure; the certificate connected before the new CRL
        awaitBrokerLog("certificate verify failed");
    }

    @Test
    void theAclAppliesToTheCertificatesCommonName() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        String forged = "psa/v1/" + GROUP + "/0/ct/m-002";
        MqttClient headEnd = connect(client(ca.resolve("ca.crt"), pki.resolve("head-end"), "head-end"));
        try {
            headEnd.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("psa/v1/#", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> seen.add(topic + " payload " + message.getPayload()[0])});
            // m-001's certificate on m-002's topic: refused (MQTT 5 "not authorized", which may also end the connection)
            MqttClient meter1 = connect(client(ca.resolve("ca.crt"), pki.resolve("m-001"), "m-001"));
            try {
                meter1.publish(forged, new byte[] {1}, 1, false);
            } catch (MqttException denied) {
                // refused either way
            } finally {
                meter1.disconnectForcibly(0, 1000, false);
                meter1.close(true);
            }
            // afterwards m-002 itself publishes on its topic: that one arrives, the forged one never did
            MqttClient meter2 = connect(client(ca.resolve("ca.crt"), pki.resolve("m-002"), "m-002"));
            meter2.publish(forged, new byte[] {2}, 1, false);
            meter2.disconnect();
            meter2.close();
            assertEquals(forged + " payload 2", seen.poll(10, TimeUnit.SECONDS), "m-002's own message, and nothing before it");
            Thread.sleep(200); // a forged copy would have come first; give a stray one time to show up anyway
            assertEquals(List.of(), List.copyOf(seen), "exactly one message on m-002's topic: its own");
        } finally {
            headEnd.disconnect();
            headEnd.close();
        }
    }

    /**
     * Several head-ends: every per-group session of an instance uses the instance's one TLS client, so the CRL file of
     * the broker link has one watcher, the one {@code /health} and the metrics report. A session that connects while
     * the file is broken (here: a group taken after the file was spoiled) keeps the previous CRL, as the instance's
     * own link does, and the failed reload shows in {@code /health}; it neither goes unreported nor stops the takeover.
     */
    @Test
    void aGroupSessionsFailedCrlReloadShowsInHealthAndTheGroupIsStillTaken() throws Exception {
        String schema = "psa_tls_crl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", ""); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            org.junit.jupiter.api.Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (database test) is unreachable: " + e.getMessage());
        }
        try {
            // the head-end's own copy of the CRL: the broker reads ca/crl.pem, which stays intact
            Path crl = Files.copy(ca.resolve("crl.pem"), dir.resolve("head-end-crl.pem"));
            List<String> members = SystemRig.memberIds(MEMBERS);
            GroupSettings first = LocalHeadEndConfig.group("g-tls-a", SystemRig.PARAMS.name(), 60, 30, members);
            GroupSettings second = LocalHeadEndConfig.group("g-tls-b", SystemRig.PARAMS.name(), 60, 30, members);
            HeadEndConfig plain = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), 100, first);
            Path he = pki.resolve("head-end");
            HeadEndConfig config = plain.withMqtt(plain.mqtt().withTls(new TlsFiles(he.resolve("ca.crt"), he.resolve("head-end.crt"),
                            he.resolve("head-end.key"), crl)))
                    .withStorage(new org.psametering.headend.config.StorageSettings(PG + "?currentSchema=" + schema, "postgres", null, 2))
                    .withHttp(new org.psametering.headend.config.HttpSettings(0, "127.0.0.1"))
                    .withCluster(new org.psametering.headend.config.ClusterSettings("he-1", 4, 1));
            try (HeadEnd headEnd = HeadEnd.start(config, java.time.Clock.systemUTC())) {
                com.fasterxml.jackson.databind.JsonNode health = health(headEnd);
                assertEquals(List.of("g-tls-a"), owned(health), health.toString());
                assertEquals(0, health.get("crl").get("failedReloads").asLong(), health.toString());

                Files.writeString(crl, "not a CRL any more\n");
                headEnd.updateGroup(second); // taken at the next lease round, on a new session: a TLS handshake
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // the second takeover counts once its session is subscribed
                while (health.get("cluster").get("takeovers").asLong() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    health = health(headEnd);
                }
                assertEquals(List.of("g-tls-a", "g-tls-b"), owned(health), "the group is taken with the previous CRL in force: " + health);
                assertTrue(health.get("cluster").get("up").asBoolean(), "every owned group's session is up: " + health);
                assertEquals(1, health.get("crl").get("failedReloads").asLong(), "the one watcher counted the broken file once: " + health);
                assertTrue(health.get("degraded").asBoolean(), health.toString());
                assertTrue(health.get("crl").get("problems").get(0).asText().startsWith(crl.toString()), health.toString());
            }
        } finally {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", ""); java.sql.Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /**
     * The broker revoked while the head-end runs, then its link drops (here: a relay in front of the broker cuts it):
     * the reconnect to the same broker process must check the broker's certificate against the new CRL and be refused.
     * A TLS client that kept its context would resume the previous session (Mosquitto hands out session tickets) and
     * skip that check.
     */
    @Test
    void aReconnectToABrokerRevokedMeanwhileIsRefusedNotResumed() throws Exception {
        Path crl = Files.copy(ca.resolve("crl.pem"), dir.resolve("head-end-crl.pem"));
        GroupSettings group = LocalHeadEndConfig.group(GROUP, SystemRig.PARAMS.name(), 60, 30, SystemRig.memberIds(MEMBERS));
        try (org.psametering.cli.broker.TcpRelay relay = new org.psametering.cli.broker.TcpRelay(broker.port())) {
            HeadEndConfig plain = LocalHeadEndConfig.of(dir.resolve("head-end"), relay.url().replace("tcp://", "ssl://"), 100, group);
            Path he = pki.resolve("head-end");
            HeadEndConfig config = plain.withMqtt(plain.mqtt().withTls(
                    new TlsFiles(he.resolve("ca.crt"), he.resolve("head-end.crt"), he.resolve("head-end.key"), crl)));
            try (HeadEnd headEnd = HeadEnd.start(config, java.time.Clock.systemUTC())) {
                assertTrue(headEnd.mqttStatus().up(), headEnd.mqttStatus().toString());
                java.math.BigInteger serial = Pem.readCertificate(Files.readString(pki.resolve("broker/broker.crt"))).getSerialNumber();
                psa("pki", "revoke", "--ca", ca.toString(), "--serial", serial.toString()); // the broker is not restarted
                Files.copy(ca.resolve("crl.pem"), crl, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                relay.cut();
                relay.restore();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                org.psametering.headend.mqtt.LinkStatus status = headEnd.mqttStatus();
                // until the first attempt after the cut is over: refused, or (wrongly) reconnected
                while (!refused(status) && status.reconnects() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    status = headEnd.mqttStatus();
                }
                assertEquals(0, status.reconnects(), "reconnected to the revoked broker: " + status);
                assertTrue(refused(status) && status.reason().contains("revoked"), "refused for the revocation: " + status);
            }
        }
    }

    /**
     * As {@link #aReconnectToABrokerRevokedMeanwhileIsRefusedNotResumed} for a meter: its connection to the broker
     * (mutual TLS, its own copy of the CRL watched by {@code mqtt.tls.crlFile}) loses the link after the broker was
     * revoked; the reconnect to the same broker process must be refused for the revocation, not resume the previous
     * TLS session, and the meter's link status must say so.
     */
    @Test
    void aMeterRefusesToReconnectToABrokerRevokedMeanwhile() throws Exception {
        String id = SystemRig.memberIds(1).get(0);
        Path crl = Files.copy(ca.resolve("crl.pem"), dir.resolve("meter-crl.pem"));
        Path own = pki.resolve(id);
        TlsSettings tls = new TlsSettings(own.resolve("ca.crt"), own.resolve(id + ".crt"), own.resolve(id + ".key"), crl);
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (org.psametering.cli.broker.TcpRelay relay = new org.psametering.cli.broker.TcpRelay(broker.port())) {
            org.psametering.meter.mqtt.PahoMeterConnection connection = new org.psametering.meter.mqtt.PahoMeterConnection(
                    org.psametering.meter.config.MqttSettings.of(relay.url().replace("tcp://", "ssl://"), id).withTls(tls), scheduler, null);
            java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
            try {
                connection.start(new org.psametering.meter.mqtt.ConnectionEvents() {
                    @Override
                    public List<String> subscriptions() {
                        return List.of(org.psametering.protocol.Topics.meterKeySetsFilter(GROUP, id));
                    }

                    @Override
                    public void connected() {
                        connects.incrementAndGet();
                    }

                    @Override
                    public void disconnected() {
                    }

                    @Override
                    public void onMessage(String topic, byte[] payload) {
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (connects.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(1, connects.get(), "the meter connects before the revocation: " + connection.status());
                java.math.BigInteger serial = Pem.readCertificate(Files.readString(pki.resolve("broker/broker.crt"))).getSerialNumber();
                psa("pki", "revoke", "--ca", ca.toString(), "--serial", serial.toString()); // the broker is not restarted
                Files.copy(ca.resolve("crl.pem"), crl, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                relay.cut();
                relay.restore();
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                org.psametering.meter.mqtt.LinkStatus status = connection.status();
                // until the first attempt after the cut is over: refused, or (wrongly) reconnected
                while (status.failedConnects() == 0 && connects.get() == 1 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    status = connection.status();
                }
                assertEquals(1, connects.get(), "reconnected to the revoked broker: " + status);
                assertTrue(!status.up() && status.tlsRefusals() == 1 && status.lastFailure().contains("revoked"),
                        "refused for the revocation: " + status);
            } finally {
                connection.close();
                scheduler.shutdownNow();
            }
        }
    }

    private static boolean refused(org.psametering.headend.mqtt.LinkStatus status) {
        return status.reason() != null && status.reason().startsWith("cannot connect");
    }

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

    private static com.fasterxml.jackson.databind.JsonNode health(HeadEnd headEnd) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + headEnd.httpPort() + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static List<String> owned(com.fasterxml.jackson.databind.JsonNode health) {
        List<String> groups = new java.util.ArrayList<>();
        health.get("cluster").get("groupsOwned").forEach(g -> groups.add(g.asText()));
        return groups;
    }
}
