package org.psametering.headend.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Group leases and instance heartbeats in PostgreSQL, the coordinator of several head-ends. Every time comparison uses
 * the database's clock ({@code now()}), never an instance's: instances whose clocks disagree still agree on who owns
 * a group.
 *
 * <p>A lease is taken with one atomic upsert that succeeds only if the lease is free (expired) or already ours, and
 * that increments the group's fencing token; the token is what {@link #fence} checks in the transaction that stores a
 * step's result, holding a share lock on the lease row, so a takeover waits for that commit and any later store by
 * the old owner fails.
 */
public final class LeaseStore {
    private static final String[] SCHEMA = {
            """
            CREATE TABLE IF NOT EXISTS psa_group_lease (
              group_id VARCHAR(64) PRIMARY KEY, owner VARCHAR(64) NOT NULL, fencing_token BIGINT NOT NULL,
              expires_at TIMESTAMPTZ NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS psa_cluster_instance (
              instance_id VARCHAR(64) PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL)"""
    };

    private final Database db;
    private final String owner;
    private final int leaseSeconds;

    /** Creates the tables if needed. */
    public LeaseStore(Database db, String owner, int leaseSeconds) {
        if (db.isEmbedded()) {
            throw new IllegalArgumentException("group leases need PostgreSQL, the database the instances share");
        }
        this.db = db;
        this.owner = owner;
        this.leaseSeconds = leaseSeconds;
        for (int attempt = 1; ; attempt++) {
            try {
                Transactions.run(db, "create the lease tables", c -> {
                    try (Statement s = c.createStatement()) {
                        for (String ddl : SCHEMA) {
                            s.execute(ddl);
                        }
                    }
                });
                return;
            } catch (StorageException e) {
                // two instances creating the same table at once: one of them fails on the catalog; the table is there then
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public String owner() {
        return owner;
    }

    /** Notes this instance as live (a row that expires with the lease period). */
    public void heartbeat() {
        Transactions.run(db, "write the heartbeat", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO psa_cluster_instance (instance_id, seen_at) VALUES (?, now())"
                    + " ON CONFLICT (instance_id) DO UPDATE SET seen_at = now()")) {
                p.setString(1, owner);
                p.executeUpdate();
            }
        });
    }

    /** Instances whose heartbeat is younger than a lease period, this one included. */
    public int liveInstances() {
        int[] count = {0};
        Transactions.run(db, "count live instances", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM psa_cluster_instance WHERE seen_at > now() - make_interval(secs => ?)")) {
                p.setInt(1, leaseSeconds);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    count[0] = r.getInt(1);
                }
            }
        });
        return count[0];
    }

    /** Every lease row: group → true if it is held (not expired) by another instance. */
    public Map<String, Boolean> heldByOthers() {
        Map<String, Boolean> held = new LinkedHashMap<>();
        Transactions.run(db, "read leases", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT group_id, owner <> ? AND expires_at >= now() FROM psa_group_lease")) {
                p.setString(1, owner);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        held.put(r.getString(1), r.getBoolean(2));
                    }
                }
            }
        });
        return held;
    }

    /** Takes the lease if it is free, expired or ours; returns the new fencing token, or empty if another holds it. */
    public OptionalLong acquire(String group) {
        long[] token = {-1};
        Transactions.run(db, "take the lease of " + group, c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO psa_group_lease (group_id, owner, fencing_token, expires_at) VALUES (?, ?, 1, now() + make_interval(secs => ?))
                    ON CONFLICT (group_id) DO UPDATE SET owner = EXCLUDED.owner, fencing_token = psa_group_lease.fencing_token + 1,
                      expires_at = EXCLUDED.expires_at
                    WHERE psa_group_lease.expires_at < now() OR psa_group_lease.owner = EXCLUDED.owner
                    RETURNING fencing_token""")) {
                p.setString(1, group);
                p.setString(2, owner);
                p.setInt(3, leaseSeconds);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        token[0] = r.getLong(1);
                    }
                }
            }
        });
        return token[0] < 0 ? OptionalLong.empty() : OptionalLong.of(token[0]);
    }

    /** Extends the leases still held with these tokens, in one transaction; returns the groups renewed. */
    public java.util.Set<String> renew(Map<String, Long> tokens) {
        java.util.Set<String> renewed = new java.util.HashSet<>();
        if (tokens.isEmpty()) {
            return renewed;
        }
        Transactions.run(db, "renew " + tokens.size() + " leases", c -> {
            renewed.clear();
            try (PreparedStatement p = c.prepareStatement("UPDATE psa_group_lease SET expires_at = now() + make_interval(secs => ?)"
                    + " WHERE group_id = ? AND owner = ? AND fencing_token = ?")) {
                for (Map.Entry<String, Long> lease : tokens.entrySet()) {
                    p.setInt(1, leaseSeconds);
                    p.setString(2, lease.getKey());
                    p.setString(3, owner);
                    p.setLong(4, lease.getValue());
                    if (p.executeUpdate() == 1) {
                        renewed.add(lease.getKey());
                    }
                }
            }
        });
        return renewed;
    }

    /** Gives the leases up at once (a clean stop, or a hand-over to balance): the next taker need not wait for expiry. */
    public void release(Map<String, Long> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        Transactions.run(db, "release " + tokens.size() + " leases", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE psa_group_lease SET expires_at = now() - interval '1 second'"
                    + " WHERE group_id = ? AND owner = ? AND fencing_token = ?")) {
                for (Map.Entry<String, Long> lease : tokens.entrySet()) {
                    p.setString(1, lease.getKey());
                    p.setString(2, owner);
                    p.setLong(3, lease.getValue());
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    /** Removes this instance's heartbeat (a clean stop): the others count it gone at once. */
    public void leave() {
        Transactions.run(db, "remove the heartbeat", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM psa_cluster_instance WHERE instance_id = ?")) {
                p.setString(1, owner);
                p.executeUpdate();
            }
        });
    }

    /**
     * The fence for {@link ResultStore}: passes only if the group's lease row still carries this instance and the token
     * {@code tokens} holds for it, and share-locks that row until the commit (a takeover's upsert waits for it).
     */
    public GroupFence fence(Map<String, Long> tokens) {
        return (Connection c, String group) -> {
            Long token = tokens.get(group);
            if (token == null) {
                throw new GroupFence.FencedOut(group, "group " + group + ": this instance (" + owner + ") does not own it");
            }
            try (PreparedStatement p = c.prepareStatement("SELECT owner, fencing_token FROM psa_group_lease WHERE group_id = ? FOR SHARE")) {
                p.setString(1, group);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new GroupFence.FencedOut(group, "group " + group + ": no lease row; " + owner + " does not own it");
                    }
                    if (!owner.equals(r.getString(1)) || r.getLong(2) != token) {
                        throw new GroupFence.FencedOut(group, "group " + group + ": lease lost by " + owner + " (token " + token
                                + "), now held by " + r.getString(1) + " with token " + r.getLong(2));
                    }
                }
            }
        };
    }

    /** For tests and tools: the fencing token stored for a group, if any. */
    public OptionalLong token(String group) {
        long[] token = {-1};
        Transactions.run(db, "read the lease of " + group, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT fencing_token FROM psa_group_lease WHERE group_id = ?")) {
                p.setString(1, group);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        token[0] = r.getLong(1);
                    }
                }
            }
        });
        return token[0] < 0 ? OptionalLong.empty() : OptionalLong.of(token[0]);
    }
}
