package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.psametering.headend.core.RefusedCiphertext;
import org.psametering.headend.core.RejectReason;

/**
 * Authentic ciphertexts refused by rule (e.g. after their label's recovery was requested), one row per (meter, label):
 * the durable record of what became of a ciphertext the broker had acknowledged to its meter, so an operator or a test
 * can tell a refusal from a loss. Written before the refusal is acknowledged; purged with the step's ciphertexts.
 */
public final class RefusalStore {
    private final Database db;

    public RefusalStore(Database db) {
        this.db = db;
    }

    /**
     * Records the batch in one transaction, made durable before it returns. A (meter, label) recorded already (a
     * redelivery, or a meter re-sending after a restart) keeps its first row: UPDATE of nothing, else INSERT, which is the
     * subset H2 and PostgreSQL share.
     */
    public void insert(List<RefusedCiphertext> refused, long atMillis) {
        if (refused.isEmpty()) {
            return;
        }
        Transactions.run(db, "record " + refused.size() + " refused ciphertexts", c -> {
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT 1 FROM psa_refused WHERE group_id = ? AND epoch = ? AND label = ? AND meter_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO psa_refused (group_id, epoch, label, meter_id, reason, refused_at) VALUES (?,?,?,?,?,?)")) {
                for (RefusedCiphertext r : refused) {
                    exists.setString(1, r.group());
                    exists.setLong(2, r.epoch());
                    exists.setLong(3, r.label());
                    exists.setString(4, r.meter());
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                    insert.setString(1, r.group());
                    insert.setLong(2, r.epoch());
                    insert.setLong(3, r.label());
                    insert.setString(4, r.meter());
                    insert.setString(5, r.reason().name());
                    insert.setLong(6, atMillis);
                    insert.executeUpdate();
                }
            }
            c.commit();
            db.makeDurable(c);
        });
    }

    /** Every refusal recorded for the epoch, by label then meter. */
    public List<RefusedCiphertext> load(String group, long epoch) {
        List<RefusedCiphertext> all = new ArrayList<>();
        Transactions.run(db, "load refused ciphertexts of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT label, meter_id, reason FROM psa_refused WHERE group_id = ? AND epoch = ? ORDER BY label, meter_id")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        all.add(new RefusedCiphertext(group, epoch, r.getString(2), r.getLong(1), RejectReason.valueOf(r.getString(3))));
                    }
                }
            }
        });
        return all;
    }

    /** Drops the records of labels before {@code label} (their steps left the late window). */
    public void deleteBefore(String group, long epoch, long label) {
        Transactions.run(db, "purge old refusal records of " + group + "/" + epoch, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM psa_refused WHERE group_id = ? AND epoch = ? AND label < ?")) {
                p.setString(1, group);
                p.setLong(2, epoch);
                p.setLong(3, label);
                p.executeUpdate();
            }
        });
    }
}
