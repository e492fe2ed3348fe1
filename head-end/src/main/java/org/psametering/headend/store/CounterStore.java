package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Named running totals that survive a restart (the rejection counters). Written as deltas, a few rows per flush, so
 * a flush costs one small transaction.
 */
public final class CounterStore {
    private final Database db;

    public CounterStore(Database db) {
        this.db = db;
    }

    public Map<String, Long> load() {
        Map<String, Long> totals = new HashMap<>();
        Transactions.run(db, "load counters", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT name, total FROM psa_counter");
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    totals.put(r.getString(1), r.getLong(2));
                }
            }
        });
        return totals;
    }

    /** Adds each delta to its total in one transaction (UPDATE, else INSERT: the subset H2 and PostgreSQL share). */
    public void add(Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        Transactions.run(db, "save " + deltas.size() + " counters", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE psa_counter SET total = total + ? WHERE name = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO psa_counter (name, total) VALUES (?, ?)")) {
                for (Map.Entry<String, Long> delta : deltas.entrySet()) {
                    update.setLong(1, delta.getValue());
                    update.setString(2, delta.getKey());
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, delta.getKey());
                        insert.setLong(2, delta.getValue());
                        insert.executeUpdate();
                    }
                }
            }
        });
    }
}
