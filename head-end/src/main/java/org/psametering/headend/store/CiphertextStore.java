package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.core.PendingCiphertext;

/**
 * Ciphertexts accepted but not yet consumed by a COMPLETE result. A batch is durable when {@link #insert}
 * returns: only then may the messages that carried it be acknowledged to the broker.
 */
public final class CiphertextStore {
    private final Database db;
    private final RecoveryAnswerStore answers;
    private final RefusalStore refusals;

    public CiphertextStore(Database db) {
        this.db = db;
        this.answers = new RecoveryAnswerStore(db);
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

    /** One transaction, one JDBC batch, then made durable. */
    public void insert(List<PendingCiphertext> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Transactions.run(db, "store " + batch.size() + " ciphertexts", c -> {
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
