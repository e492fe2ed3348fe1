package org.psametering.headend.store;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.psametering.headend.support.JdbcProxies;

/**
 * Wraps the pool and records, per committed transaction, the SQL it prepared: what a test asserts about which rows
 * a store operation's transaction touches, whatever the database makes of it. Rolled-back work is not recorded.
 */
final class TransactionLog {
    /** One committed transaction: its prepared statements, in order. */
    record Committed(List<String> statements) {
        boolean mentions(String sql) {
            return statements.stream().anyMatch(s -> s.contains(sql));
        }
    }

    private final List<Committed> committed = new CopyOnWriteArrayList<>();

    DataSource wrap(DataSource pool) {
        return JdbcProxies.wrapConnections(pool, this::connection);
    }

    /** The committed transactions whose SQL mentions {@code sql}, oldest first. */
    List<Committed> committedMentioning(String sql) {
        return committed.stream().filter(t -> t.mentions(sql)).toList();
    }

    void clear() {
        committed.clear();
    }

    private Connection connection(Connection c) {
        List<String> open = new ArrayList<>();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "prepareStatement" -> open.add((String) args[0]);
                        case "commit" -> {
                            Object result = JdbcProxies.invoke(c, method, args);
                            if (!open.isEmpty()) {
                                committed.add(new Committed(List.copyOf(open)));
                            }
                            open.clear();
                            return result;
                        }
                        case "rollback", "close" -> open.clear();
                        default -> { }
                    }
                    return JdbcProxies.invoke(c, method, args);
                });
    }

}
