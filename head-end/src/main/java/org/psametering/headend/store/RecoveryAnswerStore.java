package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery answers of steps being recovered (docs/protocol.md, "Recovery"), as the MAC'd frames that carried them: an
 * answer is committed by {@link #insert} and durable after {@link #forceCommitted} (once per inbound batch), and only
 * then kept and acknowledged. Purged with the step's ciphertexts.
 */
public final class RecoveryAnswerStore {

    /** One stored answer: the frame is verified again when it is loaded. */
    public record StoredAnswer(long label, String meter, byte[] payload) {
        public StoredAnswer {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    private final Database db;
    private final GroupFence fence;

    public RecoveryAnswerStore(Database db) {
        this(db, GroupFence.NONE);
    }

    /** {@code fence}: checked in the transaction that stores an answer (see {@link CiphertextStore}). */
    public RecoveryAnswerStore(Database db, GroupFence fence) {
        this.db = db;
        this.fence = fence;
    }

    /**
     * One transaction, committed but not forced to disk: the caller calls {@link #forceCommitted} once for the batch
     * before keeping or acknowledging any answer of it. Idempotent: a commit whose forced write failed leaves the row,
     * and the broker delivers the unacknowledged answer again; storing it again replaces the row instead of failing on
     * its key forever (the meter answers once, so that redelivery is the only copy the head-end will get).
     */
    public void insert(String group, long epoch, long label, String meter, byte[] payload) {
        Transactions.run(db, "store the recovery answer of " + meter + " for " + group + "/" + epoch + " label " + label, c -> {
            fence.check(c, group);
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM psa_recovery_answer WHERE group_id = ? AND epoch = ? AND label = ? AND meter_id = ?")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                p.setLong(3, label);
                p.setString(4, meter);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO psa_recovery_answer (group_id, epoch, label, meter_id, payload) VALUES (?,?,?,?,?)")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                p.setLong(3, label);
                p.setString(4, meter);
                p.setBytes(5, payload);
                p.executeUpdate();
            }
            c.commit();
        });
    }

    /** Forces every answer committed so far to the device (H2; PostgreSQL commits are durable already). */
    public void forceCommitted() {
        db.forceCommitted();
    }

    public List<StoredAnswer> load(String group, long epoch) {
        List<StoredAnswer> answers = new ArrayList<>();
        Transactions.run(db, "load recovery answers of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT label, meter_id, payload FROM psa_recovery_answer WHERE group_id = ? AND epoch = ? ORDER BY label, meter_id")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        answers.add(new StoredAnswer(r.getLong(1), r.getString(2), r.getBytes(3)));
                    }
                }
            }
        });
        return answers;
    }

    /** Drops the answers of labels before {@code label} (their steps left the late window with a final result). */
    public void deleteBefore(String group, long epoch, long label) {
        Transactions.run(db, "purge old recovery answers of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM psa_recovery_answer WHERE group_id = ? AND epoch = ? AND label < ?")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                p.setLong(3, label);
                p.executeUpdate();
            }
        });
    }
}
