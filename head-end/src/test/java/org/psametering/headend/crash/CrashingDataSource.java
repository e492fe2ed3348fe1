package org.psametering.headend.crash;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;

import javax.sql.DataSource;

/** Wraps the pool so that every {@code commit} is a crash point of {@link CrashPoints}. */
final class CrashingDataSource {
    private CrashingDataSource() {
    }

    static DataSource wrap(DataSource pool, CrashPoints points) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
            Object result = invoke(pool, method, args);
            return result instanceof Connection c && method.getName().equals("getConnection") ? connection(c, points) : result;
        });
    }

    private static Connection connection(Connection c, CrashPoints points) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("commit")) {
                points.call("commit", c::commit);
                return null;
            }
            return invoke(c, method, args);
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
