package org.psametering.headend.support;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Wraps the pool so that a commit fails while a rule is set: the rule names SQL text; a transaction that prepared a
 * statement containing it fails at commit with the given exception (and is rolled back by the store).
 */
public final class FailingDataSource {
    private volatile String sqlContains;
    private volatile Supplier<? extends Exception> failure;
    private volatile String afterCommitContains;
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> executed = new java.util.concurrent.ConcurrentHashMap<>();

    /** Fails every commit of a transaction whose SQL contains {@code sql} with {@code failure}, until {@link #heal()}. */
    public void fail(String sql, Supplier<? extends Exception> failure) {
        this.failure = failure;
        this.sqlContains = sql;
    }

    /**
     * The next commit of a transaction whose SQL contains {@code sql} goes through, then reports {@code failure} (as
     * when the forced write after it fails): the data is stored, the caller sees an error. Once.
     */
    public void failOnceAfterCommit(String sql, Supplier<? extends Exception> failure) {
        this.failure = failure;
        this.afterCommitContains = sql;
    }

    public void heal() {
        sqlContains = null;
    }

    public DataSource wrap(DataSource pool) {
        return JdbcProxies.wrapConnections(pool, this::connection);
    }

    private Connection connection(Connection c) {
        List<String> statements = new ArrayList<>();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement")) {
                statements.add((String) args[0]);
            }
            if (method.getName().equals("createStatement") && (args == null || args.length == 0)) {
                return statement((Statement) JdbcProxies.invoke(c, method, args), statements);
            }
            if (method.getName().equals("commit")) {
                String rule = sqlContains;
                if (rule != null && statements.stream().anyMatch(s -> s.contains(rule))) {
                    statements.clear();
                    Exception e = failure.get();
                    if (e instanceof SQLException || e instanceof RuntimeException) {
                        throw e;
                    }
                    throw new SQLException(e);
                }
                String after = afterCommitContains;
                if (after != null && statements.stream().anyMatch(s -> s.contains(after))) {
                    afterCommitContains = null;
                    statements.clear();
                    JdbcProxies.invoke(c, method, args);
                    Exception e = failure.get();
                    throw e instanceof SQLException || e instanceof RuntimeException ? e : new SQLException(e);
                }
                statements.clear();
            }
            if (method.getName().equals("rollback") || method.getName().equals("close")) {
                statements.clear();
            }
            return JdbcProxies.invoke(c, method, args);
        });
    }

    /** A plain statement whose executed SQL counts for the rules like prepared SQL, and is counted. */
    private Statement statement(Statement s, List<String> statements) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[]{Statement.class}, (proxy, method, args) -> {
            if (method.getName().equals("execute") && args != null && args.length == 1 && args[0] instanceof String sql) {
                statements.add(sql);
                executed.merge(sql, 1, Integer::sum);
            }
            return JdbcProxies.invoke(s, method, args);
        });
    }

    /** How often plain (not prepared) statements starting with {@code prefix} were executed, e.g. "CHECKPOINT". */
    public int executedCount(String prefix) {
        return executed.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(java.util.Map.Entry::getValue).sum();
    }

}
