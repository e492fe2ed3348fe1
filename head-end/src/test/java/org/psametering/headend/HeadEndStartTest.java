package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.support.CoreHarness;

class HeadEndStartTest {
    @TempDir
    Path dataDir;

    @Test
    void unreachableBrokerIsReportedAndNothingIsLeftOpen() throws Exception {
        // port 1 on loopback: nothing listens there, the connection is refused at once
        HeadEndConfig config = new HeadEndConfig(dataDir, new MqttSettings("tcp://127.0.0.1:1", "t", null, null, 60L), StorageSettings.defaults(),
                new HttpSettings(-1, null), 100, List.of(CoreHarness.group("g", 900, 60, "a")))
                .withTrust(org.psametering.headend.support.TestPki.writeHeadEndTrust(dataDir.resolve("trust")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HeadEnd.start(config, Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("cannot connect to MQTT broker tcp://127.0.0.1:1"), e.getMessage());
        // the database pool was closed again, and close() returns only once its threads (named after the pool) ended
        List<String> left = poolThreads();
        assertTrue(left.isEmpty(), left.toString());
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("psa-head-end")).toList();
    }
}
