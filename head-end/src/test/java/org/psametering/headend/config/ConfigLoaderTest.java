package org.psametering.headend.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            groups:
              - id: g1
                members: [b, a]
            """;

    @Test
    void documentedExampleLoads() {
        HeadEndConfig config = ConfigLoader.load(Path.of("..", "config", "head-end.yaml"));
        assertEquals("tcp://127.0.0.1:1883", config.mqtt().broker());
        assertEquals(8080, config.http().port());
        assertNull(config.storage().jdbcUrl());
        GroupSettings group = config.groups().get(0);
        assertEquals("feeder-1", group.id());
        assertEquals(900, group.stepSeconds());
        assertEquals(List.of("meter-001", "meter-002", "meter-003"), group.members());
    }

    @Test
    void defaultsFillTheGaps() {
        HeadEndConfig config = ConfigLoader.parse("test", MINIMAL.getBytes(UTF_8));
        GroupSettings group = config.groups().get(0);
        assertEquals(List.of("a", "b"), group.members(), "members are kept sorted");
        assertEquals(900, group.stepSeconds());
        assertEquals(300, group.deadlineSeconds());
        assertEquals("lwr-3072-q128-p85-rec", group.params(), "new groups can recover steps with missing meters");
        assertTrue(config.storage().effectiveUrl(Path.of("/tmp/x")).startsWith("jdbc:h2:file:/tmp/x/head-end"));
        assertTrue(config.mqtt().toString().contains("password=none"));
    }

    @Test
    void maskGraphDefaultsToAutoAndLoadsEachSpelling() {
        assertEquals(MaskGraphOption.AUTO, ConfigLoader.parse("test", MINIMAL.getBytes(UTF_8)).groups().get(0).maskGraphOption());
        assertEquals(MaskGraphOption.COMPLETE, ConfigLoader.parse("test", """
                groups: [{id: g, maskGraph: complete, members: [a, b]}]""".getBytes(UTF_8)).groups().get(0).maskGraphOption());
        String hundred = String.join(", ", java.util.stream.IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
        GroupSettings sparse = ConfigLoader.parse("test", ("groups: [{id: g, maskGraph: sparse, members: [" + hundred + "]}]")
                .getBytes(UTF_8)).groups().get(0);
        assertEquals(MaskGraphOption.SPARSE, sparse.maskGraphOption());
        assertEquals("sparse", sparse.maskGraph());
        // the effective settings after drops for absence may fall below 100: allowed (that epoch masks completely)
        assertEquals(MaskGraphOption.SPARSE, sparse.withMembers(List.of("m1", "m2", "m3", "m4", "m5")).maskGraphOption());
    }

    @Test
    void autoIsCompleteUpToAThousandMembersAndSparseAbove() {
        assertFalse(MaskGraphOption.AUTO.sparseFor(1000));
        assertTrue(MaskGraphOption.AUTO.sparseFor(1001));
        assertTrue(MaskGraphOption.AUTO.sparseFor(10_000));
        assertFalse(MaskGraphOption.AUTO.sparseFor(5));
        assertFalse(MaskGraphOption.COMPLETE.sparseFor(10_000));
        assertTrue(MaskGraphOption.SPARSE.sparseFor(100));
        assertFalse(MaskGraphOption.SPARSE.sparseFor(99), "an explicit sparse group that lost members masks completely");
    }

    @Test
    void clusterSectionTakesItsDefaults() {
        HeadEndConfig config = ConfigLoader.parse("test", ("""
                storage: {jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/psa'}
                cluster: {instanceId: head-end-2}
                """ + MINIMAL).getBytes(UTF_8));
        assertEquals(new ClusterSettings("head-end-2", 10, 3), config.cluster());
        assertNull(ConfigLoader.parse("test", MINIMAL.getBytes(UTF_8)).cluster(), "without the section: a single head-end");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "groups: []|at least one group",
            "grups: []|unknown setting 'grups'",
            "{groups: [{id: g, member: [m]}]}|unknown setting 'groups[0].member'",
            "groups: [{id: 'a/b', members: [m]}]|groups[].id 'a/b' is invalid",
            "groups: [{id: g, members: []}]|members must list at least one",
            "groups: [{id: g, members: [m, m]}]|member 'm' is listed twice",
            "groups: [{id: g, members: ['m 1']}]|member 'm 1' is invalid",
            "groups: [{id: g, params: nope, members: [m]}]|nope",
            "groups: [{id: g, stepSeconds: 0, members: [m]}]|stepSeconds must be 1..86400",
            "groups: [{id: g, stepSeconds: many, members: [m]}]|groups[0].stepSeconds",
            "groups: [{id: g, members: [m]}, {id: g, members: [n]}]|'g' is configured twice",
            "{mqtt: {broker: 'localhost:1883'}, groups: [{id: g, members: [m]}]}|mqtt.broker 'localhost:1883'",
            "{http: {port: 70000}, groups: [{id: g, members: [m]}]}|http.port",
            "{storage: {jdbcUrl: 'jdbc:mysql://x'}, groups: [{id: g, members: [m]}]}|storage.jdbcUrl",
            "{cluster: {instanceId: a}, groups: [{id: g, members: [m]}]}|cluster: needs PostgreSQL storage",
            "{storage: {jdbcUrl: 'jdbc:postgresql://x/y'}, cluster: {leaseSeconds: 10}, groups: [{id: g, members: [m]}]}|cluster.instanceId: required",
            "{storage: {jdbcUrl: 'jdbc:postgresql://x/y'}, cluster: {instanceId: a, leaseSeconds: 4, renewSeconds: 3}, groups: [{id: g, members: [m]}]}|cluster.renewSeconds",
            "groups: [{id: g, maskGraph: dense, members: [m]}]|maskGraph must be complete, sparse or auto, got 'dense'",
            "groups: [{id: g, maskGraph: Sparse, members: [m]}]|maskGraph must be complete, sparse or auto",
            "groups: [{id: g, maskGraph: sparse, members: [m1, m2, m3, m4, m5, m6]}]|maskGraph sparse needs at least 100 members",
            "groups: [{id: g, members: [m]|not valid YAML"})
    void badSettingsAreNamed(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("head-end.yaml", yaml.getBytes(UTF_8)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("head-end.yaml"), e.getMessage());
    }

    @Test
    void crlCheckIntervalDefaultsAndIsChecked() {
        String trust = "trust: {identityKey: /k, certificate: /c, anchor: /a, crl: /crl.pem";
        assertEquals(TrustSettings.DEFAULT_CRL_CHECK_SECONDS,
                ConfigLoader.parse("test", (MINIMAL + trust + "}\n").getBytes(UTF_8)).trust().crlCheckSeconds());
        assertEquals(7, ConfigLoader.parse("test", (MINIMAL + trust + ", crlCheckSeconds: 7}\n").getBytes(UTF_8)).trust().crlCheckSeconds());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("test", (MINIMAL + trust + ", crlCheckSeconds: 0}\n").getBytes(UTF_8)));
        assertTrue(e.getMessage().contains("trust.crlCheckSeconds"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no/such/file.yaml")));
        assertEquals("config file no/such/file.yaml does not exist", e.getMessage());
    }

    @Test
    void passwordsNeverPrint() {
        MqttSettings mqtt = new MqttSettings(null, null, "u", "s3cret", null);
        StorageSettings storage = new StorageSettings(null, "u", "s3cret", null);
        assertTrue(!mqtt.toString().contains("s3cret") && !storage.toString().contains("s3cret"));
    }

    @Test
    void tlsAndTokenSettingsLoad() {
        HeadEndConfig config = ConfigLoader.parse("test", ("""
                mqtt:
                  broker: ssl://broker.example:8883
                  tls: {caFile: pki/ca.crt, certFile: pki/head-end.crt, keyFile: pki/head-end.key, crlFile: pki/crl.pem}
                http:
                  tokenFile: /etc/psa/token
                  tls: {certFile: pki/head-end.crt, keyFile: pki/head-end.key}
                """ + MINIMAL).getBytes(UTF_8));
        assertEquals(new TlsFiles(Path.of("pki/ca.crt"), Path.of("pki/head-end.crt"), Path.of("pki/head-end.key"), Path.of("pki/crl.pem")),
                config.mqtt().tls());
        assertEquals(Path.of("/etc/psa/token"), config.http().tokenFile());
        assertEquals(Path.of("pki/head-end.key"), config.http().tls().keyFile());
        assertNull(ConfigLoader.parse("test", MINIMAL.getBytes(UTF_8)).mqtt().tls());
    }

    @Test
    void tlsMistakesAreNamed() {
        String[][] cases = {
                {"mqtt: {broker: 'tcp://b:1883', tls: {caFile: a, certFile: b, keyFile: c}}", "not an ssl:// URL"},
                {"mqtt: {broker: 'ssl://b:8883', tls: {certFile: b, keyFile: c}}", "mqtt.tls.caFile is missing"},
                {"mqtt: {broker: 'ssl://b:8883', tls: {caFile: a, certFile: b, keyfile: c}}", "unknown setting 'mqtt.tls.keyfile'"},
                {"http: {tls: {certFile: b}}", "http.tls.keyFile is missing"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("h.yaml", (c[0] + "\n" + MINIMAL).getBytes(UTF_8)));
            assertTrue(e.getMessage().contains(c[1]), c[1] + " in: " + e.getMessage());
        }
    }
}
