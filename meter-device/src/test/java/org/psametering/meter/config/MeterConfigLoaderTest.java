package org.psametering.meter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.psametering.hardware.SimulatedSensorConfig;

class MeterConfigLoaderTest {

    private static final String MINIMAL = """
            meter: {id: m-1, dataDir: /var/lib/psa}
            mqtt: {broker: "tcp://broker:1883"}
            group: {id: g-1}
            """;

    private static MeterConfig parse(String yaml) {
        return MeterConfigLoader.parse(yaml, "meter.yaml", MeterConfigLoader.Overrides.NONE);
    }

    private static void assertError(String yaml, String... expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void exampleConfigFileLoads() {
        MeterConfig c = MeterConfigLoader.load(Path.of("../config/meter.yaml"), MeterConfigLoader.Overrides.NONE);
        assertEquals("meter-001", c.meterId());
        assertEquals("feeder-1", c.groupId());
        assertEquals("tcp://localhost:1883", c.mqtt().brokerUrl());
        assertEquals(new SimulatedSensorConfig(1, 150, 11_000), c.sensor());
        assertEquals(672, c.outboxCapacity());
    }

    /** The sensor examples are written beside the drivers; they must stay loadable by the meter's own loader. */
    @ParameterizedTest
    @CsvSource({"meter-s0.yaml, S0SensorConfig", "meter-ct.yaml, CtAds1115SensorConfig", "meter-csv.yaml, CsvReplaySensorConfig"})
    void everySensorExampleConfigLoads(String file, String sensorType) {
        MeterConfig c = MeterConfigLoader.load(Path.of("../config", file), MeterConfigLoader.Overrides.NONE);
        assertEquals(sensorType, c.sensor().getClass().getSimpleName());
        assertFalse(c.meterId().isBlank());
        assertFalse(c.groupId().isBlank());
    }

    @Test
    void trustTuningLoadsWithDefaultsAndRefusesNonsense() {
        String trust = "trust: {identityKey: /k, certificate: /c, anchor: /a, crl: /crl.pem, headEndName: h";
        TrustFiles defaults = (TrustFiles) parse(MINIMAL + trust + "}\n").trust();
        assertEquals(TrustFiles.DEFAULT_CRL_CHECK_SECONDS, defaults.crlCheckSeconds());
        assertEquals(Runtime.getRuntime().availableProcessors(), defaults.keySetupThreads());
        TrustFiles set = (TrustFiles) parse(MINIMAL + trust + ", keySetupThreads: 4, crlCheckSeconds: 5}\n").trust();
        assertEquals(4, set.keySetupThreads());
        assertEquals(5, set.crlCheckSeconds());
        assertError(MINIMAL + trust + ", keySetupThreads: 0}\n", "trust.keySetupThreads");
        assertError(MINIMAL + trust + ", crlCheckSeconds: 0}\n", "trust.crlCheckSeconds");
    }

    @Test
    void defaultsFillTheRest() {
        MeterConfig c = parse(MINIMAL);
        assertEquals(Path.of("/var/lib/psa"), c.dataDir());
        assertEquals("m-1", c.mqtt().clientId(), "client id defaults to the meter id");
        assertEquals(MqttSettings.DEFAULT_SESSION_EXPIRY_SECONDS, c.mqtt().sessionExpirySeconds());
        assertNull(c.mqtt().username());
        assertEquals(MeterConfig.DEFAULT_OUTBOX_CAPACITY, c.outboxCapacity());
        assertEquals("simulated", c.sensor().type());
    }

    @Test
    void commandLineOverridesWinAndCanStandAlone() {
        MeterConfig c = MeterConfigLoader.parse(MINIMAL, "meter.yaml",
                new MeterConfigLoader.Overrides("ssl://other:8883", "m-2", "g-2", Path.of("/tmp/d")));
        assertEquals("ssl://other:8883", c.mqtt().brokerUrl());
        assertEquals("m-2", c.meterId());
        assertEquals("m-2", c.mqtt().clientId());
        assertEquals("g-2", c.groupId());
        assertEquals(Path.of("/tmp/d"), c.dataDir());

        MeterConfig noFile = MeterConfigLoader.load(null, new MeterConfigLoader.Overrides("tcp://h:1", "m", "g", Path.of("d")));
        assertEquals("m", noFile.meterId());
    }

    @Test
    void errorsNameTheSetting() {
        assertError("meter: {dataDir: d}\nmqtt: {broker: 'tcp://h:1'}\ngroup: {id: g}", "meter.id", "missing");
        assertError(MINIMAL.replace("tcp://broker:1883", "broker:1883"), "mqtt.broker", "broker:1883");
        assertError(MINIMAL.replace("g-1", "bad/group"), "group.id", "bad/group");
        assertError(MINIMAL.replace("m-1,", "'',"), "meter.id");
        assertError(MINIMAL.replace("dataDir: /var/lib/psa", "dataDir: null"), "meter.dataDir", "missing");
        assertError(MINIMAL + "outbox: {capacity: 0}", "outbox.capacity");
        assertError(MINIMAL + "outbox: {capacity: lots}", "outbox.capacity", "whole number");
        assertError(MINIMAL.replace("mqtt: {", "mqtt: {keepAliveSeconds: 0, "), "mqtt.keepAliveSeconds");
        assertError(MINIMAL.replace("mqtt: {", "mqtt: {password: x, "), "mqtt.password", "mqtt.username");
        assertError(MINIMAL + "sensor: {type: simulated, maxWatts: 5}", "sensor.maxWatts");
        assertError(MINIMAL + "sensor: {type: thermometer}", "sensor.type");
    }

    /** Found while fuzzing the loader: a value below the int range wrapped into a valid one (-4294967236 became 60). */
    @Test
    void numbersBelowTheIntRangeAreRefusedNotWrapped() {
        assertError(MINIMAL.replace("mqtt: {", "mqtt: {keepAliveSeconds: -4294967236, "), "mqtt.keepAliveSeconds", "-4294967236");
        assertError(MINIMAL + "outbox: {capacity: -4294967196}", "outbox.capacity", "-4294967196");
    }

    @Test
    void typosAndBadShapesAreReported() {
        assertError(MINIMAL.replace("mqtt: {", "mqtt: {brokr: x, "), "unknown setting 'mqtt.brokr'");
        assertError(MINIMAL + "metre: {}", "unknown setting 'metre'");
        assertError(MINIMAL.replace("group: {id: g-1}", "group: g-1"), "group: must be a mapping");
        assertError("- a\n- b", "top level must be a mapping");
        assertError("meter: {id: [", "not valid YAML", "meter.yaml");
    }

    @Test
    void announcementLimitsDefaultAndCanBeSet() {
        assertEquals(org.psametering.meter.agent.AnnouncementLimits.DEFAULT, parse(MINIMAL).announcements());
        MeterConfig c = parse(MINIMAL.replace("group: {id: g-1", "group: {id: g-1, maxMembers: 50, maxEpochAdvance: 3"));
        assertEquals(new org.psametering.meter.agent.AnnouncementLimits(50, 3), c.announcements());
        assertError(MINIMAL.replace("group: {id: g-1", "group: {id: g-1, maxMembers: 0"), "group.maxMembers");
        assertError(MINIMAL.replace("group: {id: g-1", "group: {id: g-1, maxEpochAdvance: -1"), "group.maxEpochAdvance");
    }

    @Test
    void sparseGraphAssumptionsDefaultAndCanBeLoweredForSimulations() {
        org.psametering.crypto.keysetup.GraphParameters d = org.psametering.crypto.keysetup.GraphParameters.DEFAULT;
        assertEquals(d, parse(MINIMAL).announcements().sparseGraph());
        assertEquals(35, parse(MINIMAL).announcements().minimumRow());
        MeterConfig c = parse(MINIMAL + "sparseGraph: {dishonestPercent: 10, missingPercent: 10, securityBits: 16}\n");
        assertEquals(new org.psametering.crypto.keysetup.GraphParameters(0.1, 0.1, 16), c.announcements().sparseGraph());
        assertEquals(c.announcements().sparseGraph().minimumRowSize(), c.announcements().minimumRow(), "its own minimum row");
        assertEquals(12, parse(MINIMAL + "sparseGraph: {minNeighbours: 12}\n").announcements().minimumRow());
        assertError(MINIMAL + "sparseGraph: {dishonestPercent: 60, missingPercent: 50}\n", "sparseGraph");
        assertError(MINIMAL + "sparseGraph: {minNeighbours: 0}\n", "sparseGraph.minNeighbours");
        assertError(MINIMAL + "sparseGraph: {kappa: 3}\n", "kappa");
    }

    @Test
    void passwordNeverAppearsInToString() {
        MeterConfig c = parse(MINIMAL.replace("mqtt: {", "mqtt: {username: u, password: hunter2, "));
        assertEquals("hunter2", c.mqtt().password());
        assertFalse(c.toString().contains("hunter2"));
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> MeterConfigLoader.load(Path.of("/nonexistent/meter.yaml"), MeterConfigLoader.Overrides.NONE));
        assertTrue(e.getMessage().contains("/nonexistent/meter.yaml"), e.getMessage());
    }

    @Test
    void tlsFilesAreReadFromMqttTls() {
        MeterConfig c = parse("""
                meter: {id: m-1, dataDir: /var/lib/psa}
                mqtt:
                  broker: "ssl://broker:8883"
                  tls: {caFile: /etc/psa/ca.crt, certFile: /etc/psa/m-1.crt, keyFile: /etc/psa/m-1.key, crlFile: /etc/psa/crl.pem}
                group: {id: g-1}
                """);
        assertEquals(new TlsSettings(Path.of("/etc/psa/ca.crt"), Path.of("/etc/psa/m-1.crt"), Path.of("/etc/psa/m-1.key"),
                Path.of("/etc/psa/crl.pem")), c.mqtt().tls());
        assertNull(parse(MINIMAL).mqtt().tls());
    }

    @Test
    void tlsMistakesAreNamed() {
        String ssl = MINIMAL.replace("tcp://broker:1883", "ssl://broker:8883");
        assertError(ssl.replace("mqtt: {", "mqtt: {tls: {caFile: a, certFile: b}, "), "mqtt.tls.keyFile: missing");
        assertError(ssl.replace("mqtt: {", "mqtt: {tls: {caFile: a, certFile: b, keyFile: c, keyfile: d}, "),
                "unknown setting 'mqtt.tls.keyfile'");
        assertError(MINIMAL.replace("mqtt: {", "mqtt: {tls: {caFile: a, certFile: b, keyFile: c}, "), "not an ssl:// URL");
        assertError(ssl.replace("mqtt: {", "mqtt: {clientId: other, tls: {caFile: a, certFile: b, keyFile: c}, "),
                "mqtt.clientId: with mqtt.tls it must be the meter id");
        assertError(ssl.replace("mqtt: {", "mqtt: {tls: yes, "), "mqtt.tls: must be a mapping");
    }
}
