package org.psametering.headend.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.StorageSettings;

class DatabaseCloseTest {
    @TempDir
    Path dataDir;

    /**
     * close() must leave no pool thread behind when it returns: HikariCP only interrupts its housekeeper and lets it
     * die later, so a caller (a failed start-up, a test, an embedding application) could see it still running. This
     * made HeadEndStartTest fail one CI run in five. Repeated, because the window is short.
     */
    @Test
    void closeReturnsOnlyOnceEveryPoolThreadHasEnded() {
        for (int round = 0; round < 50; round++) {
            Database database = Database.open(StorageSettings.defaults(), dataDir.resolve("r" + round));
            database.close();
            assertEquals(List.of(), poolThreads(), "round " + round);
        }
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("psa-head-end")).toList();
    }
}
