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
    void unreachableBrokerIsReportedAndNothingIsLeftOpen() {
        // port 1 on loopback: nothing listens there, the connection is refused at once
        HeadEndConfig config = new HeadEndConfig(dataDir, new MqttSettings("tcp://127.0.0.1:1", "t", null, null, 60L), StorageSettings.defaults(),
                new HttpSettings(-1, null), 100, List.of(CoreHarness.group("g", 900, 60, "a")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HeadEnd.start(config, Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("cannot connect to MQTT broker tcp://127.0.0.1:1"), e.getMessage());
        // the database pool was closed again: none of its threads (named after the pool) is left. Pools that other
        // tests in this JVM closed end their threads asynchronously, so wait (bounded) for them to go
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<String> left = poolThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            left = poolThreads();
        }
        assertTrue(left.isEmpty(), left.toString());
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("psa-head-end")).toList();
    }
}
