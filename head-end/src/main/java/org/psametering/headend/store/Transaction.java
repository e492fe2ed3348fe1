package org.psametering.headend.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work run inside one database transaction. */
@FunctionalInterface
interface Transaction {
    void run(Connection connection) throws SQLException;
}
