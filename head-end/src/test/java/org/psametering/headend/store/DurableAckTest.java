package org.psametering.headend.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.support.JdbcProxies;

/**
 * Issue 14 defect 6: before an ingest batch may be acknowledged, embedded H2 must force it to the device. In H2
 * 2.3, {@code CHECKPOINT} only flushes to the operating system; {@code CHECKPOINT SYNC} also calls
 * {@code FileChannel.force}. One per batch, not per message.
 */
class DurableAckTest {
    @TempDir
    Path dir;

    private final List<String> executed = new CopyOnWriteArrayList<>();

    private DataSource recording(DataSource pool) {
        return JdbcProxies.wrapConnections(pool, c -> proxy(Connection.class, c));
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, m, a) -> {
            if (type == Statement.class && m.getName().equals("execute")) {
                executed.add((String) a[0]);
            }
            Object r = JdbcProxies.invoke(target, m, a);
            return type == Connection.class && m.getName().equals("createStatement") ? proxy(Statement.class, (Statement) r) : r;
        });
    }

    private static List<PendingCiphertext> batch(int label) {
        return List.of(new PendingCiphertext("g", 0, "a", new Ciphertext(label, 1, 2)), new PendingCiphertext("g", 0, "b", new Ciphertext(label, 3, 4)));
    }

    @Test
    void eachBatchIsForcedToTheDeviceBeforeInsertReturns() {
        try (Database db = Database.open(StorageSettings.defaults(), dir, this::recording)) {
            new CiphertextStore(db).insert(batch(1));
            new CiphertextStore(db).insert(batch(2));
        }
        assertEquals(List.of("CHECKPOINT SYNC", "CHECKPOINT SYNC"), executed);
    }

    @Test
    void h2SyncFalseOnlyHandsTheBatchToTheOperatingSystem() {
        try (Database db = Database.open(StorageSettings.defaults().withH2Sync(false), dir, this::recording)) {
            new CiphertextStore(db).insert(batch(1));
        }
        assertEquals(List.of("CHECKPOINT"), executed);
    }
}
