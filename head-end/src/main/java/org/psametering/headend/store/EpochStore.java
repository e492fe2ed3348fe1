package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.psametering.crypto.keysetup.GraphSpec;

import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;

/** Epochs, their members' public and blinded keys, and the head-end's epoch key (secret, stored for restarts). */
public final class EpochStore {
    private final Database db;
    private final GroupFence fence;

    public EpochStore(Database db) {
        this(db, GroupFence.NONE);
    }

    /**
     * With several head-ends: {@code fence} is checked in the transactions that start or activate an epoch, so an
     * instance that lost the group cannot announce a key or an activation over the new owner's.
     */
    public EpochStore(Database db, GroupFence fence) {
        this.db = db;
        this.fence = fence;
    }

    /**
     * Stores a new epoch, replacing a row of the same number left by an earlier attempt whose commit went through but
     * that reported a failure (e.g. the forced write failed): that epoch was never announced, so no meter used its key.
     */
    public void create(EpochRecord epoch) {
        write("create epoch " + epoch.group() + "/" + epoch.epoch(), c -> {
            fence.check(c, epoch.group());
            for (String table : new String[]{"psa_epoch_member", "psa_epoch"}) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE group_id = ? AND epoch = ? AND "
                        + "(SELECT phase FROM psa_epoch WHERE group_id = ? AND epoch = ?) = 'ANNOUNCED'")) {
                    p.setString(1, epoch.group());
                    p.setLong(2, epoch.epoch());
                    p.setString(3, epoch.group());
                    p.setLong(4, epoch.epoch());
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO psa_epoch (group_id, epoch, params, step_seconds, members, "
                    + "head_end_key, phase, active_from, active_until, graph_seed, graph_threshold) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, epoch.group());
                p.setLong(2, epoch.epoch());
                p.setString(3, epoch.params());
                p.setInt(4, epoch.stepSeconds());
                p.setString(5, String.join(",", epoch.members()));
                p.setBytes(6, epoch.headEndKey());
                p.setString(7, epoch.phase().name());
                setOptional(p, 8, epoch.activeFrom());
                setOptional(p, 9, epoch.activeUntil());
                if (epoch.maskGraph().isPresent()) {
                    p.setBytes(10, epoch.maskGraph().get().seed());
                    p.setLong(11, epoch.maskGraph().get().threshold());
                } else {
                    p.setNull(10, Types.VARBINARY);
                    p.setNull(11, Types.BIGINT);
                }
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO psa_epoch_member (group_id, epoch, meter_id) VALUES (?,?,?)")) {
                for (String meter : epoch.members()) {
                    p.setString(1, epoch.group());
                    p.setLong(2, epoch.epoch());
                    p.setString(3, meter);
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    public void setPhase(String group, long epoch, EpochPhase phase, OptionalLong activeFrom) {
        write("set phase of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE psa_epoch SET phase = ?, active_from = ? WHERE group_id = ? AND epoch = ?")) {
                p.setString(1, phase.name());
                setOptional(p, 2, activeFrom);
                p.setString(3, group);
                p.setLong(4, epoch);
                p.executeUpdate();
            }
        });
    }

    /**
     * Marks the epoch active and stores its aggregation key (secret) and ends the older epochs it takes over from
     * ({@code endOlder}: epoch to its first label no longer covered), in one transaction: a crash can never leave the
     * new epoch active next to an old one that never ends. A recoverable epoch ({@code keepBlindedKeys}) keeps its
     * blinded keys (as secret as K): recovering a step without some meters needs them (docs/protocol.md, "Recovery"),
     * so the blinded key that completed K ({@code lastBlindedKey}: meter to encoding, possibly empty) is stored in the
     * same transaction. An epoch that does not keep them leaves their rows alone here: rewriting every member's
     * 48 KiB row took seconds on H2, all of them on the core thread; {@link #dropBlindedKeys} drops them afterwards,
     * off that thread, a few members per transaction.
     */
    public void activate(String group, long epoch, long activeFrom, byte[] aggregationKey, Map<Long, Long> endOlder,
                         boolean keepBlindedKeys, Map<String, byte[]> lastBlindedKey) {
        write("activate epoch " + group + "/" + epoch, c -> {
            fence.check(c, group);
            if (keepBlindedKeys) {
                for (Map.Entry<String, byte[]> last : lastBlindedKey.entrySet()) {
                    updateMember(c, "blinded_key", group, epoch, last.getKey(), last.getValue());
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE psa_epoch SET phase = ?, active_from = ?, aggregation_key = ? WHERE group_id = ? AND epoch = ?")) {
                p.setString(1, EpochPhase.ACTIVE.name());
                p.setLong(2, activeFrom);
                p.setBytes(3, aggregationKey);
                p.setString(4, group);
                p.setLong(5, epoch);
                if (p.executeUpdate() != 1) {
                    throw new SQLException("no epoch row " + group + "/" + epoch);
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE psa_epoch SET active_until = ? WHERE group_id = ? AND epoch = ?")) {
                for (Map.Entry<Long, Long> end : endOlder.entrySet()) {
                    p.setLong(1, end.getValue());
                    p.setString(2, group);
                    p.setLong(3, end.getKey());
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    /**
     * Drops the stored blinded keys of {@code meters} in an epoch whose aggregation key is stored (K is derived, the
     * keys are no longer needed to rebuild it) or that was superseded (it never becomes active); changes nothing in any
     * other epoch without K, so a caller's mistake cannot lose a key setup under way. Whether an epoch with K still
     * needs its keys to recover steps is the caller's call (GroupCoordinator: not once it is retired). Returns the number of keys dropped (0 for those already dropped: a restart that finishes an
     * interrupted cleanup drops what is left). Not forced to disk: a drop lost in a crash is made again on restart.
     * Bound the list: each member's row (48 KiB with its key) is rewritten in this one transaction.
     */
    public int dropBlindedKeys(String group, long epoch, List<String> meters) {
        int[] dropped = new int[1];
        commitUnforced("drop " + meters.size() + " blinded keys of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE psa_epoch_member SET blinded_key = NULL WHERE group_id = ? AND epoch = ? "
                    + "AND meter_id = ? AND blinded_key IS NOT NULL AND EXISTS (SELECT 1 FROM psa_epoch e WHERE e.group_id = ? "
                    + "AND e.epoch = ? AND (e.aggregation_key IS NOT NULL OR e.phase = 'SUPERSEDED'))")) {
                for (String meter : meters) {
                    p.setString(1, group);
                    p.setLong(2, epoch);
                    p.setString(3, meter);
                    p.setString(4, group);
                    p.setLong(5, epoch);
                    p.addBatch();
                }
                for (int count : p.executeBatch()) {
                    dropped[0] += Math.max(count, 0);
                }
            }
        });
        return dropped[0];
    }

    /**
     * Stores a member's public key; when it completes the key set, the phase KEYSET_PUBLISHED in the same transaction.
     * Committed, not yet forced to disk: the caller calls {@link #forceCommitted()} before acknowledging it.
     */
    public void savePublicKey(String group, long epoch, String meter, byte[] encoding, boolean completesKeySet) {
        commitUnforced("save public key of " + meter + " in " + group + "/" + epoch, c -> {
            updateMember(c, "public_key", group, epoch, meter, encoding);
            if (completesKeySet) {
                try (PreparedStatement p = c.prepareStatement("UPDATE psa_epoch SET phase = ? WHERE group_id = ? AND epoch = ?")) {
                    p.setString(1, EpochPhase.KEYSET_PUBLISHED.name());
                    p.setString(2, group);
                    p.setLong(3, epoch);
                    p.executeUpdate();
                }
            }
        });
    }

    /** Stores a member's blinded key; as {@link #savePublicKey}, the caller forces it to disk before the ack. */
    public void saveBlindedKey(String group, long epoch, String meter, byte[] encoding) {
        commitUnforced("save blinded key of " + meter + " in " + group + "/" + epoch, c -> updateMember(c, "blinded_key", group, epoch, meter, encoding));
    }

    private static void updateMember(java.sql.Connection c, String column, String group, long epoch, String meter, byte[] value)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE psa_epoch_member SET " + column
                + " = ? WHERE group_id = ? AND epoch = ? AND meter_id = ?")) {
            p.setBytes(1, value);
            p.setString(2, group);
            p.setLong(3, epoch);
            p.setString(4, meter);
            if (p.executeUpdate() != 1) {
                throw new SQLException("no member row for " + meter);
            }
        }
    }

    /** All epochs of a group, oldest first, with their members' keys. */
    public List<EpochRecord> load(String group) {
        List<EpochRecord> epochs = new ArrayList<>();
        run("load epochs of " + group, c -> {
            Map<Long, Map<String, byte[]>> publicKeys = new HashMap<>();
            Map<Long, Map<String, byte[]>> blindedKeys = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT epoch, meter_id, public_key, blinded_key FROM psa_epoch_member WHERE group_id = ?")) {
                p.setString(1, group);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        byte[] publicKey = r.getBytes(3);
                        byte[] blinded = r.getBytes(4);
                        if (publicKey != null) {
                            publicKeys.computeIfAbsent(r.getLong(1), e -> new HashMap<>()).put(r.getString(2), publicKey);
                        }
                        if (blinded != null) {
                            blindedKeys.computeIfAbsent(r.getLong(1), e -> new HashMap<>()).put(r.getString(2), blinded);
                        }
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT epoch, params, step_seconds, members, head_end_key, phase, active_from, "
                    + "active_until, aggregation_key, graph_seed, graph_threshold FROM psa_epoch WHERE group_id = ? ORDER BY epoch")) {
                p.setString(1, group);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long epoch = r.getLong(1);
                        epochs.add(new EpochRecord(group, epoch, r.getString(2), r.getInt(3), Arrays.asList(r.getString(4).split(",")),
                                r.getBytes(5), EpochPhase.valueOf(r.getString(6)), optional(r, 7), optional(r, 8),
                                publicKeys.getOrDefault(epoch, Map.of()), blindedKeys.getOrDefault(epoch, Map.of()), r.getBytes(9),
                                maskGraph(r, 10)));
                    }
                }
            }
        });
        return epochs;
    }

    private static Optional<GraphSpec> maskGraph(ResultSet r, int index) throws SQLException {
        byte[] seed = r.getBytes(index);
        long threshold = r.getLong(index + 1);
        return seed == null || r.wasNull() ? Optional.empty() : Optional.of(new GraphSpec(seed, threshold));
    }

    private static void setOptional(PreparedStatement p, int index, OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            p.setLong(index, value.getAsLong());
        } else {
            p.setNull(index, Types.BIGINT);
        }
    }

    private static OptionalLong optional(ResultSet r, int index) throws SQLException {
        long value = r.getLong(index);
        return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private void run(String what, Transaction work) {
        Transactions.run(db, what, work);
    }

    /**
     * One forced write for every key committed since the last one (group commit per inbound batch: with 2000 meters,
     * one fsync per key made key setup a third slower). Before any of those keys is acknowledged.
     */
    public void forceCommitted() {
        db.forceCommitted();
    }

    /** Commits; durable only after {@link #forceCommitted()} (or any later forced write, which covers it). */
    private void commitUnforced(String what, Transaction work) {
        Transactions.run(db, what, work);
    }

    /**
     * A write that must be durable on its own (epoch creation, phase changes, the activation that holds K): commit,
     * then force it to the device like an ingest batch (it also covers every unforced commit before it). Rare.
     */
    private void write(String what, Transaction work) {
        Transactions.run(db, what, c -> {
            work.run(c);
            c.commit();
            db.makeDurable(c);
        });
    }
}
