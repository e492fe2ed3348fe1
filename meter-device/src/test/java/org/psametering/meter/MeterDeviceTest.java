package org.psametering.meter;

import org.psametering.meter.agent.TestTrust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.SimulatedSensorConfig;
import org.psametering.hardware.Sensors;
import org.psametering.meter.config.MeterConfig;
import org.psametering.meter.store.FileStateStore;

/** Start/stop wiring without a broker (broker-based tests live with the system tests). */
class MeterDeviceTest {

    private static final String NO_BROKER = "tcp://127.0.0.1:1";

    @Test
    void meterStartsWithoutABrokerAndCloseReleasesTheDataDirectory(@TempDir Path tmp) throws Exception {
        MeterConfig config = MeterConfig.inMemory("m1", "g1", NO_BROKER).withDataDir(tmp.resolve("m1"))
                .withTrust((id, clock) -> TestTrust.meter(id, clock));
        try (EnergySensor sensor = Sensors.open(SimulatedSensorConfig.withSeed(3), Clock.systemUTC());
             MeterRuntime runtime = MeterRuntime.builder().tickInterval(Duration.ofMillis(100)).build()) {
            MeterHandle meter = MeterDevice.start(config, sensor, Clock.systemUTC(), runtime);
            assertEquals("m1", meter.meterId());
            assertFalse(meter.isConnected());

            UncheckedIOException busy = assertThrows(UncheckedIOException.class,
                    () -> MeterDevice.start(config, sensor, Clock.systemUTC(), runtime));
            assertTrue(busy.getMessage().contains("meter.dataDir") && busy.getMessage().contains("in use"), busy.getMessage());

            meter.close();
            meter.close(); // idempotent
            FileStateStore.open(tmp.resolve("m1")).close(); // the lock is free again
        }
    }

    @Test
    void aMeterWithoutTrustRefusesToStartAndOneWithAnotherMetersCertificateToo(@TempDir Path tmp) throws Exception {
        try (EnergySensor sensor = Sensors.open(SimulatedSensorConfig.withSeed(5), Clock.systemUTC());
             MeterRuntime runtime = MeterRuntime.builder().build()) {
            MeterConfig none = MeterConfig.inMemory("m1", "g1", NO_BROKER);
            var missing = assertThrows(org.psametering.meter.config.ConfigException.class,
                    () -> MeterDevice.start(none, sensor, Clock.systemUTC(), runtime));
            assertTrue(missing.getMessage().startsWith("trust: not configured"), missing.getMessage());

            // PEM files of m2's identity configured for m1: refused at start, not at the first key set
            var pki = TestTrust.PKI;
            java.nio.file.Files.createDirectories(tmp);
            Path key = java.nio.file.Files.writeString(tmp.resolve("m2.key"),
                    org.psametering.crypto.pki.Pem.writePrivateKey(pki.meter("m2").privateKey()));
            Path cert = java.nio.file.Files.writeString(tmp.resolve("m2.crt"),
                    org.psametering.crypto.pki.Pem.writeCertificate(pki.meter("m2").certificate()));
            Path ca = java.nio.file.Files.writeString(tmp.resolve("ca.crt"), org.psametering.crypto.pki.Pem.writeCertificate(pki.anchor()));
            MeterConfig wrong = none.withTrust(new org.psametering.meter.config.TrustFiles(key, cert, ca, null, "psa-head-end", 5));
            var e = assertThrows(org.psametering.meter.config.ConfigException.class,
                    () -> MeterDevice.start(wrong, sensor, Clock.systemUTC(), runtime));
            assertTrue(e.getMessage().contains("WRONG_NAME"), e.getMessage());
            MeterConfig right = MeterConfig.inMemory("m2", "g1", NO_BROKER).withTrust(wrong.trust());
            MeterDevice.start(right, sensor, Clock.systemUTC(), runtime).close();
        }
    }

    @Test
    void manyInMemoryMetersShareOneRuntime() throws Exception {
        try (EnergySensor sensor = Sensors.open(SimulatedSensorConfig.withSeed(4), Clock.systemUTC());
             MeterRuntime runtime = MeterRuntime.builder().workers(1).build()) {
            MeterHandle[] meters = new MeterHandle[20];
            for (int i = 0; i < meters.length; i++) {
                meters[i] = MeterDevice.start(MeterConfig.inMemory("m" + i, "g1", NO_BROKER)
                        .withTrust((id, clock) -> TestTrust.meter(id, clock)), sensor, Clock.systemUTC(), runtime);
            }
            assertEquals(meters.length, runtime.ticker().size());
            for (MeterHandle m : meters) {
                m.close();
            }
            assertEquals(0, runtime.ticker().size(), "closed meters leave the shared ticker");
        }
    }
}
