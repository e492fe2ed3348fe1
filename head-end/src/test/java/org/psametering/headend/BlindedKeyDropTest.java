package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.JdbcProxies;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.Topics;

/**
 * The blinded keys of an epoch that cannot recover steps (the default parameter set) are dropped after its
 * activation, off the core thread: the activation does not wait for them, the core serves steps while they are being
 * dropped, and a restart finishes a drop that a crash interrupted. Store hooks and latches, no timing.
 */
class BlindedKeyDropTest {
    private static final int STEP = 900;
    private static final String G = "feeder-9";
    private static final GroupSettings GROUP = CoreHarness.group(G, STEP, 60, "m1", "m2", "m3", "m4", "m5");

    /** Blinded keys stored when K is: every member's but the one that completed K (a non-recoverable epoch never stores it). */
    private static final int STORED_KEYS = GROUP.members().size() - 1;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    @Test
    void theCoreServesAStepWhileTheDropHoldsItsTransactionOpenOnAnotherThread() throws Exception {
        Thread core = Thread.currentThread();
        CountDownLatch dropHolding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> dropsOnTheCoreThread = new ArrayList<>();
        // every transaction that drops blinded keys waits at its commit (its row locks held) until released; one on the
        // core thread is recorded instead, as it would hold up everything else the core does
        ExecutorService keyDrops = Executors.newSingleThreadExecutor();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> holdingDrops(pool, core, dropsOnTheCoreThread,
                dropHolding, release), keyDrops, GROUP)) {
            Map<String, TestMeter> meters = h.setUpKeys(G);
            GroupAnnouncement active = h.announcement(G);
            assertEquals(GroupPhase.ACTIVE, active.phase(), "activated without waiting for the drop");
            assertEquals(List.of(), dropsOnTheCoreThread, "blinded keys dropped on the core thread");
            assertTrue(dropHolding.await(60, TimeUnit.SECONDS), "the drop never started");

            // the drop is mid-transaction: a step is still stored, aggregated, recorded and published
            long label = active.activeFromLabel().orElseThrow();
            clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
            int acks = h.acks.get();
            long expected = h.sendStep(G, 0, label, meters, 1000);
            assertEquals(acks + meters.size(), h.acks.get());
            assertEquals(ResultMessage.complete(G, 0, label, expected),
                    ResultMessage.fromJson(h.publisher.last(Topics.result(G)).orElseThrow().payload()));
            assertEquals(STORED_KEYS, storedEpoch(h).blindedKeys().size(), "nothing dropped yet");

            release.countDown();
            keyDrops.shutdown();
            assertTrue(keyDrops.awaitTermination(60, TimeUnit.SECONDS), "the drop never ended");
            EpochRecord after = storedEpoch(h);
            assertEquals(Map.of(), after.blindedKeys(), "every blinded key dropped");
            assertEquals(EpochPhase.ACTIVE, after.phase());
            assertNotNull(after.aggregationKey());
        } finally {
            release.countDown();
            keyDrops.shutdownNow();
        }
    }

    @Test
    void aRestartDropsTheKeysACrashLeftAfterTheActivation() {
        List<Runnable> neverRun = new ArrayList<>(); // the process dies before its key-drop thread runs
        Map<String, TestMeter> meters;
        long label;
        byte[] aggregationKey;
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, neverRun::add, GROUP)) {
            meters = h.setUpKeys(G);
            label = h.announcement(G).activeFromLabel().orElseThrow();
            EpochRecord stored = storedEpoch(h);
            assertEquals(EpochPhase.ACTIVE, stored.phase());
            assertEquals(STORED_KEYS, stored.blindedKeys().size());
            aggregationKey = stored.aggregationKey();
            assertEquals(1, neverRun.size(), "one drop scheduled");
        }
        List<Runnable> afterRestart = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, afterRestart::add, GROUP)) {
            assertEquals(1, afterRestart.size(), "the restart schedules the drop that was left");
            GroupAnnouncement announcement = h.announcement(G);
            assertEquals(0, announcement.epoch(), "the same epoch, no re-key");
            assertEquals(GroupPhase.ACTIVE, announcement.phase());
            afterRestart.forEach(Runnable::run);
            EpochRecord stored = storedEpoch(h);
            assertEquals(Map.of(), stored.blindedKeys());
            assertArrayEquals(aggregationKey, stored.aggregationKey(), "K unchanged");

            clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
            long expected = h.sendStep(G, 0, label, meters, 7);
            assertEquals(ResultMessage.complete(G, 0, label, expected),
                    ResultMessage.fromJson(h.publisher.last(Topics.result(G)).orElseThrow().payload()));
        }
        List<Runnable> second = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, second::add, GROUP)) {
            assertEquals(List.of(), second, "nothing left to drop");
        }
    }

    @Test
    void aFailedDropIsTriedAgainAtTheNextTickAndMarksTheStorageFailingMeanwhile() {
        List<Runnable> queued = new ArrayList<>();
        try (CoreHarness h = CoreHarness.withKeyDrops(dataDir, clock, pool -> pool, queued::add, GROUP)) {
            h.setUpKeys(G);
            h.faults.fail("blinded_key = NULL", () -> new java.sql.SQLException("disk full"));
            runAll(queued);
            assertFalse(h.core.storageHealth().healthy(), "a failed drop shows in /health");
            assertEquals(STORED_KEYS, storedEpoch(h).blindedKeys().size());
            h.faults.heal();
            h.core.tick();
            assertEquals(1, queued.size(), "the rest is scheduled again at the tick");
            runAll(queued);
            assertEquals(Map.of(), storedEpoch(h).blindedKeys());
        }
    }

    private static void runAll(List<Runnable> queued) {
        List<Runnable> now = new ArrayList<>(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }

    private static EpochRecord storedEpoch(CoreHarness h) {
        return new EpochStore(h.db).load(G).get(0);
    }

    private static DataSource holdingDrops(DataSource pool, Thread core, List<String> onCore, CountDownLatch holding, CountDownLatch release) {
        return JdbcProxies.wrapConnections(pool, c -> holdingConnection(c, core, onCore, holding, release));
    }

    private static Connection holdingConnection(Connection c, Thread core, List<String> onCore, CountDownLatch holding, CountDownLatch release) {
        boolean[] drops = new boolean[1];
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && ((String) args[0]).contains("blinded_key = NULL")) {
                drops[0] = true;
            }
            if (method.getName().equals("rollback")) {
                drops[0] = false;
            }
            if (method.getName().equals("commit") && drops[0]) {
                drops[0] = false;
                if (Thread.currentThread() == core) {
                    synchronized (onCore) {
                        onCore.add(Thread.currentThread().getName());
                    }
                } else {
                    holding.countDown();
                    if (!release.await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the drop");
                    }
                }
            }
            return JdbcProxies.invoke(c, method, args);
        });
    }

}
