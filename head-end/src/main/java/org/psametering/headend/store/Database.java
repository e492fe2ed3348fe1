package org.psametering.headend.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.psametering.headend.config.StorageSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head-end's database: a HikariCP pool over H2 (embedded, default) or PostgreSQL, with the schema created on
 * open. The SQL is the common subset of both, so one set of stores serves both.
 */
public final class Database implements AutoCloseable {
    private static final String[] SCHEMA = {
            """
            CREATE TABLE IF NOT EXISTS psa_epoch (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, params VARCHAR(64) NOT NULL, step_seconds INT NOT NULL,
              members VARCHAR NOT NULL, head_end_key BYTEA NOT NULL, phase VARCHAR(16) NOT NULL,
              active_from BIGINT, active_until BIGINT, aggregation_key BYTEA, PRIMARY KEY (group_id, epoch))""",
            """
            CREATE TABLE IF NOT EXISTS psa_epoch_member (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, meter_id VARCHAR(64) NOT NULL,
              public_key BYTEA, blinded_key BYTEA, PRIMARY KEY (group_id, epoch, meter_id))""",
            """
            CREATE TABLE IF NOT EXISTS psa_pending (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, label BIGINT NOT NULL, meter_id VARCHAR(64) NOT NULL,
              ct_high BIGINT NOT NULL, ct_low BIGINT NOT NULL)""",
            // no unique key on the hot insert path: the core refuses a second (meter, label) before it gets here
            "CREATE INDEX IF NOT EXISTS psa_pending_step ON psa_pending (group_id, epoch, label)",
            """
            CREATE TABLE IF NOT EXISTS psa_result (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, label BIGINT NOT NULL, step_start BIGINT NOT NULL,
              step_seconds INT NOT NULL, status VARCHAR(16) NOT NULL, total BIGINT, missing VARCHAR NOT NULL,
              reported INT NOT NULL, recorded_at BIGINT NOT NULL, PRIMARY KEY (group_id, epoch, label))""",
            "CREATE INDEX IF NOT EXISTS psa_result_time ON psa_result (group_id, step_start)",
            // added columns: rows written before them were published and had no reason
            "ALTER TABLE psa_result ADD COLUMN IF NOT EXISTS reason VARCHAR(32)",
            "ALTER TABLE psa_result ADD COLUMN IF NOT EXISTS published BOOLEAN DEFAULT TRUE NOT NULL",
            // the sparse mask graph of an epoch (shared-crypto README 13): its public seed and threshold (unsigned 64-bit,
            // stored as the signed BIGINT with the same bits); both NULL for the complete graph, as every older row
            "ALTER TABLE psa_epoch ADD COLUMN IF NOT EXISTS graph_seed BYTEA",
            "ALTER TABLE psa_epoch ADD COLUMN IF NOT EXISTS graph_threshold BIGINT",
            // recovery answers of steps being recovered (docs/protocol.md, "Recovery"); the request is the RECOVERING result
            """
            CREATE TABLE IF NOT EXISTS psa_recovery_answer (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, label BIGINT NOT NULL, meter_id VARCHAR(64) NOT NULL,
              payload BYTEA NOT NULL, PRIMARY KEY (group_id, epoch, label, meter_id))""",
            // authentic ciphertexts refused by rule (AFTER_RECOVERY), as evidence of what became of them; see RefusalStore
            """
            CREATE TABLE IF NOT EXISTS psa_refused (
              group_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, label BIGINT NOT NULL, meter_id VARCHAR(64) NOT NULL,
              reason VARCHAR(32) NOT NULL, refused_at BIGINT NOT NULL, PRIMARY KEY (group_id, epoch, label, meter_id))""",
            """
            CREATE TABLE IF NOT EXISTS psa_counter (
              name VARCHAR(64) NOT NULL PRIMARY KEY, total BIGINT NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS psa_membership_log (
              group_id VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, at_millis BIGINT NOT NULL, meter_id VARCHAR(64) NOT NULL,
              change_kind VARCHAR(16) NOT NULL, epoch BIGINT NOT NULL, reason VARCHAR(200) NOT NULL, PRIMARY KEY (group_id, seq))"""
    };

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final PoolThreads threads;
    private final boolean h2;
    private final String durableCommand;

    private Database(HikariDataSource pool, DataSource dataSource, PoolThreads threads, boolean h2, boolean h2Sync) {
        this.pool = pool;
        this.dataSource = dataSource;
        this.threads = threads;
        this.h2 = h2;
        this.durableCommand = h2Sync ? "CHECKPOINT SYNC" : "CHECKPOINT";
    }

    /** Opens (creating the data directory and schema if needed). Throws {@link StorageException} naming the URL. */
    public static Database open(StorageSettings settings, Path dataDir) {
        return open(settings, dataDir, UnaryOperator.identity());
    }

    /**
     * As {@link #open(StorageSettings, Path)}, with every connection taken through {@code decorate(pool)}: the seam
     * the crash-point tests use to fail or "crash" at a chosen commit.
     */
    public static Database open(StorageSettings settings, Path dataDir, UnaryOperator<DataSource> decorate) {
        String url = settings.effectiveUrl(dataDir);
        boolean h2 = url.startsWith("jdbc:h2:");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(settings.user() == null && h2 ? "sa" : settings.user());
        config.setPassword(settings.password() == null ? "" : settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("psa-head-end");
        PoolThreads threads = new PoolThreads("psa-head-end-db");
        config.setThreadFactory(threads);
        config.setInitializationFailTimeout(5_000);
        config.setConnectionTimeout(10_000);
        if (!h2) {
            // lets the driver turn a JDBC batch into multi-row INSERTs: the ingest path depends on it
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        try {
            if (h2 && url.startsWith("jdbc:h2:file:")) {
                Files.createDirectories(dataDir);
            }
            HikariDataSource pool = new HikariDataSource(config);
            Database database = new Database(pool, decorate.apply(pool), threads, h2, settings.h2Sync());
            try {
                database.createSchema();
            } catch (SQLException | RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (Exception e) {
            throw new StorageException("cannot open database " + url + ": " + rootMessage(e), e);
        }
    }

    private void createSchema() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
                return;
            } catch (SQLException e) {
                // several head-ends starting together on one PostgreSQL: two CREATE TABLE IF NOT EXISTS of the same table
                // race on the catalog and one fails; the table is there on the next attempt
                if (h2 || attempt == 10) {
                    throw e;
                }
                LOG.info("schema creation raced with another head-end ({}); trying again", e.getMessage());
            }
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * Makes committed work durable before the caller acknowledges it, once per ingest batch. PostgreSQL's commit
     * already is (WAL fsync). H2's MVStore writes committed changes in the background: {@code CHECKPOINT} only hands
     * them to the operating system, {@code CHECKPOINT SYNC} also forces them to the device (see {@code h2Sync}).
     */
    void makeDurable(Connection c) throws SQLException {
        if (h2) {
            try (Statement s = c.createStatement()) {
                s.execute(durableCommand);
            }
        }
    }

    /**
     * Forces every commit made so far to the device, for writes committed without it so that one forced write covers
     * a whole batch of them (group commit); call before acknowledging any of them. PostgreSQL: nothing to do (each
     * commit already is durable).
     */
    public void forceCommitted() {
        if (h2) {
            Transactions.run(this, "force committed writes to disk", this::makeDurable);
        }
    }

    public boolean isEmbedded() {
        return h2;
    }

    @Override
    public void close() {
        pool.close();
        List<String> left = threads.awaitEnded(Duration.ofSeconds(10));
        if (!left.isEmpty()) {
            LOG.warn("database pool threads still running 10 s after close: {}", left);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
