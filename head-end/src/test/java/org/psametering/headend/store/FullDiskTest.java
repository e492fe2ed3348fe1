package org.psametering.headend.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.StorageSettings;

/**
 * Issue 14 defect 6 / issue 8: a full disk under the embedded database (a file-size limit, {@code ulimit -f}, on a
 * child JVM) fails the store with a clear error, and every batch stored before the failure (what the head-end would
 * have acknowledged) is still there when the database is opened again.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFileSizeLimitFailsTheStoreClearlyAndKeepsEveryStoredBatch() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", "ulimit -f 3072 && exec \"$0\" -cp \"$1\" " + FullDiskChild.class.getName() + " \"$2\"",
                java, System.getProperty("java.class.path"), dir.toString()).redirectErrorStream(true);
        Process child = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("STORED") || line.startsWith("FAILED") || line.startsWith("NEVER")) {
                    lines.add(line);
                }
            }
        }
        assertTrue(child.waitFor(3, TimeUnit.MINUTES));
        String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        assertTrue(last.startsWith("FAILED"), "the store must fail with an error, last line: " + last);
        assertTrue(last.contains("store 200 ciphertexts"), "the error names what failed: " + last);
        long stored = lines.stream().filter(l -> l.startsWith("STORED")).count();
        assertTrue(stored > 0, "some batches fit before the limit");

        try (Database db = Database.open(StorageSettings.defaults(), dir)) {
            long rows = new CiphertextStore(db).load("g", 0).stream().map(p -> p.label()).filter(l -> l < stored).count();
            assertEquals(stored * 200, rows, "every batch stored before the disk filled is still there");
        }
    }
}
