package org.psametering.headend.crash;

import java.lang.reflect.Proxy;
import java.sql.Connection;

import javax.sql.DataSource;

import org.psametering.headend.support.JdbcProxies;

/** Wraps the pool so that every {@code commit} is a crash point of {@link CrashPoints}. */
final class CrashingDataSource {
    private CrashingDataSource() {
    }

    static DataSource wrap(DataSource pool, CrashPoints points) {
        return JdbcProxies.wrapConnections(pool, c -> connection(c, points));
    }

    private static Connection connection(Connection c, CrashPoints points) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("commit")) {
                points.call("commit", c::commit);
                return null;
            }
            return JdbcProxies.invoke(c, method, args);
        });
    }

}
