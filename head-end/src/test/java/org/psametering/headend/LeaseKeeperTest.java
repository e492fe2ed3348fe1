package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.ClusterSettings;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.LeaseStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.FailingDataSource;
import org.psametering.headend.support.MutableClock;

/**
 * Three lease keepers (three instances' cores) on one PostgreSQL schema, each with the groups' inputs replaced by a
 * recording stand-in: they split the groups, an instance whose database writes fail drops its groups before its leases
 * expire and the others take them, and a survivor ends up with every group.
 */
class LeaseKeeperTest {
    private static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final List<GroupSettings> GROUPS = List.of(
            CoreHarness.group("g1", 900, 60, "m1", "m2", "m3", "m4", "m5"),
            CoreHarness.group("g2", 900, 60, "m1", "m2", "m3", "m4", "m5"),
            CoreHarness.group("g3", 900, 60, "m1", "m2", "m3", "m4", "m5"));
    private static final ClusterSettings FAST = new ClusterSettings("x", 3, 1);

    private final String schema = "psa_keeper_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private StorageSettings storage;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

    @TempDir
    Path dataDir;

    @BeforeEach
    void ownSchema() {
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is unreachable: " + e.getMessage());
        }
        storage = new StorageSettings(PG_BASE + "?currentSchema=" + schema, "postgres", null, 2);
    }

    @AfterEach
    void dropSchema() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Stands in for the per-group MQTT sessions: records what the instance hears. */
    private static final class Heard implements GroupSessions {
        final Set<String> groups = ConcurrentHashMap.newKeySet();

        @Override
        public void add(String group, int timeoutSeconds) {
            groups.add(group);
        }

        @Override
        public void remove(String group) {
            groups.remove(group);
        }

        @Override
        public List<String> down() {
            return List.of();
        }

        @Override
        public void close() {
            groups.clear();
        }
    }

    private record Instance(LeaseKeeper keeper, Heard heard, HeadEndCore core, FailingDataSource leaseDb) {
        Set<String> owned() {
            return Set.copyOf(heard.groups);
        }
    }

    private Instance instance(String id) {
        FailingDataSource faults = new FailingDataSource();
        Database leaseDb = Database.open(storage, dataDir, faults::wrap);
        closing.add(leaseDb);
        LeaseStore leases = new LeaseStore(leaseDb, id, FAST.leaseSeconds());
        Map<String, Long> tokens = new ConcurrentHashMap<>();
        CoreHarness harness = new CoreHarness(storage, dataDir, clock, leases.fence(tokens));
        closing.add(harness);
        CoreLoop loop = new CoreLoop(harness.core, 50);
        loop.start();
        closing.add(loop);
        Heard heard = new Heard();
        LeaseKeeper keeper = new LeaseKeeper(new ClusterSettings(id, FAST.leaseSeconds(), FAST.renewSeconds()), leases,
                new GroupHandover(harness.core, loop, heard, tokens), tokens, GROUPS, heard::down);
        closing.add(keeper);
        keeper.start();
        return new Instance(keeper, heard, harness.core, faults);
    }

    @Test
    void instancesSplitTheGroupsALostLeaseIsDroppedAtOnceAndASurvivorTakesAll() throws Exception {
        Instance a = instance("head-end-a");
        assertEquals(Set.of("g1", "g2", "g3"), a.owned(), "a lone instance takes every group");
        assertEquals(3, a.core.statuses().size(), "and opens them");
        Instance b = instance("head-end-b");
        Instance c = instance("head-end-c");
        List<Instance> all = List.of(a, b, c);
        await("one group each", () -> all.stream().allMatch(i -> i.owned().size() == 1));
        assertEquals(Set.of("g1", "g2", "g3"), union(all), "every group owned, none twice");

        // a's database writes fail: it cannot renew, so it drops its group before the lease expires, and says so
        a.leaseDb.fail("psa_", () -> new SQLException("database unreachable (test)"));
        await("a drops its group", () -> a.owned().isEmpty() && a.core.statuses().isEmpty());
        assertTrue(a.keeper.leasesLost() >= 1);
        assertEquals(Boolean.FALSE, a.keeper.state().get("up"), "/health shows the cluster problem");
        await("b and c take a's group over", () -> b.owned().size() + c.owned().size() == 3);
        assertEquals(Set.of("g1", "g2", "g3"), union(List.of(b, c)));

        // b stops cleanly (leases released): c takes everything
        b.keeper.close();
        await("c owns every group", () -> c.owned().size() == 3);
        assertEquals(3, c.core.statuses().size());
        assertTrue(c.keeper.takeovers() >= 2);
    }

    private static Set<String> union(List<Instance> instances) {
        Set<String> all = new java.util.HashSet<>();
        int count = 0;
        for (Instance i : instances) {
            all.addAll(i.owned());
            count += i.owned().size();
        }
        assertEquals(all.size(), count, "a group heard by two instances at once: " + instances.stream().map(Instance::owned).toList());
        return all;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
