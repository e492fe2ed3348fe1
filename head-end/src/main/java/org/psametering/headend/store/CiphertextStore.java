package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.core.PendingCiphertext;

/**
 * Ciphertexts accepted but not yet consumed by a COMPLETE result. A batch is durable when {@link #insert}
 * returns: only then may the messages that carried it be acknowledged to the broker.
 */
public final class CiphertextStore {
    private final Database db;
    private final GroupFence fence;
    private final RecoveryAnswerStore answers;
    private final RefusalStore refusals;

    /** A single head-end: it owns every group. */
    public CiphertextStore(Database db) {
        this(db, GroupFence.NONE);
    }

    /**
     * With several head-ends: {@code fence} is checked for every group of a batch in the transaction that stores it (and
     * of a recovery answer), so an instance that lost a group's lease cannot store, and so acknowledge, an input after
     * the new owner loaded the group's stored state: that input would reach neither of them.
     */
    public CiphertextStore(Database db, GroupFence fence) {
        this.db = db;
        this.fence = fence;
        this.answers = new RecoveryAnswerStore(db, fence);
        this.refusals = new RefusalStore(db);
    }

    /** The record of authentic ciphertexts refused by rule (same database, purged with the ciphertexts). */
    public RefusalStore refusals() {
        return refusals;
    }

    /** The other inputs of steps not final yet: recovery answers (same database, purged with the ciphertexts). */
    public RecoveryAnswerStore recoveryAnswers() {
        return answers;
    }

    /**
     * One transaction, one JDBC batch, then made durable. Throws {@link GroupFence.FencedOut} naming a group this
     * instance no longer owns (nothing of the batch is stored then).
     */
    public void insert(List<PendingCiphertext> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Transactions.run(db, "store " + batch.size() + " ciphertexts", c -> {
            String last = null;
            Set<String> checked = new HashSet<>();
            for (PendingCiphertext pending : batch) {
                // first: the lease rows stay share-locked until the commit, so a takeover waits for it
                if (!pending.group().equals(last) && checked.add(pending.group())) {
                    fence.check(c, pending.group());
                }
                last = pending.group();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO psa_pending (group_id, epoch, label, meter_id, ct_high, ct_low) VALUES (?,?,?,?,?,?)")) {
                for (PendingCiphertext pending : batch) {
                    p.setString(1, pending.group());
                    p.setLong(2, pending.epoch());
                    p.setLong(3, pending.label());
                    p.setString(4, pending.meter());
                    p.setLong(5, pending.ciphertext().high());
                    p.setLong(6, pending.ciphertext().low());
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            db.makeDurable(c);
        });
    }

    public List<PendingCiphertext> load(String group, long epoch) {
        List<PendingCiphertext> pending = new ArrayList<>();
        Transactions.run(db, "load pending ciphertexts of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT label, meter_id, ct_high, ct_low FROM psa_pending WHERE group_id = ? AND epoch = ? ORDER BY label")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        pending.add(new PendingCiphertext(group, epoch, r.getString(2), new Ciphertext(r.getLong(1), r.getLong(3), r.getLong(4))));
                    }
                }
            }
        });
        return pending;
    }

    /** Drops what can no longer complete a step: labels before {@code label} (outside the late window). */
    public void deleteBefore(String group, long epoch, long label) {
        Transactions.run(db, "purge old ciphertexts of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM psa_pending WHERE group_id = ? AND epoch = ? AND label < ?")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                p.setLong(3, label);
                p.executeUpdate();
            }
        });
    }
}
