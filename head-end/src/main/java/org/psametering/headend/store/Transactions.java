package org.psametering.headend.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in a transaction: commit on success, rollback and a {@link StorageException} naming the work otherwise. */
final class Transactions {
    private Transactions() {
    }

    static void run(Database db, String what, Transaction work) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("database: cannot " + what + ": " + Database.rootMessage(e), e);
        }
    }
}
