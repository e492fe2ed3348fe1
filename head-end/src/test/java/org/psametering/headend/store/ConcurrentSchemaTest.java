package org.psametering.headend.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.StorageSettings;

/** Several head-ends starting at once on one fresh PostgreSQL schema: every one of them opens it (tables and lease tables). */
class ConcurrentSchemaTest {
    private static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path dataDir;

    @Test
    void headEndsStartingTogetherAllCreateOrFindTheSchema() throws Exception {
        for (int round = 0; round < 5; round++) {
            String schema = "psa_schema_race_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is unreachable: " + e.getMessage());
            }
            StorageSettings settings = new StorageSettings(PG_BASE + "?currentSchema=" + schema, "postgres", null, 2);
            CyclicBarrier together = new CyclicBarrier(4);
            List<CompletableFuture<Database>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String instance = "head-end-" + i;
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    Database database = Database.open(settings, dataDir);
                    new LeaseStore(database, instance, 10); // the cluster's tables, created by whoever comes first
                    return database;
                }));
            }
            try {
                for (CompletableFuture<Database> database : opening) {
                    database.join().close(); // throws if that head-end could not open the database
                }
            } finally {
                try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }
}
