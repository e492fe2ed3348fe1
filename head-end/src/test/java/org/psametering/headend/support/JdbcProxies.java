package org.psametering.headend.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

/**
 * The plumbing of the tests' JDBC interceptors (failing, crashing, recording, holding data sources): a pool whose
 * connections are wrapped, and a reflective call that throws what the target threw, not its wrapper.
 */
public final class JdbcProxies {
    private JdbcProxies() {
    }

    /** {@code pool} with every connection it hands out passed through {@code wrap}. */
    public static DataSource wrapConnections(DataSource pool, UnaryOperator<Connection> wrap) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    return result instanceof Connection c ? wrap.apply(c) : result;
                });
    }

    /** Calls {@code method} on {@code target}; an exception it throws comes out as itself. */
    public static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
