package org.psametering.headend.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.psametering.headend.config.StorageSettings;

/**
 * The two stores a store test runs against: embedded H2 in a directory, or the local PostgreSQL in a schema of this
 * instance's own (so parallel runs and other users of the database never see its tables); a test is skipped, with
 * the reason, when PostgreSQL is unreachable. {@link #dropSchema()} after the class.
 */
final class TestDatabases {
    private static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String pgSchema = "psa_headend_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    /** {@code kind}: "h2" or "postgresql". */
    Database open(String kind, Path dataDir) {
        return open(kind, dataDir, UnaryOperator.identity());
    }

    Database open(String kind, Path dataDir, UnaryOperator<DataSource> decorate) {
        if (kind.equals("h2")) {
            return Database.open(StorageSettings.defaults(), dataDir, decorate);
        }
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + pgSchema);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is unreachable, PG storage test skipped: "
                    + e.getMessage());
        }
        return Database.open(new StorageSettings(PG_BASE + "?currentSchema=" + pgSchema, "postgres", null, 2), dataDir, decorate);
    }

    void dropSchema() {
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
        } catch (SQLException e) {
            // unreachable: nothing was created
        }
    }
}
