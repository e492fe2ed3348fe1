package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP, raised in this JVM, runs the reload (on its own thread); the JVM's previous handler is put back after. When
 * this process was started with SIGHUP ignored (under nohup), the JVM cannot take it, and install must say so.
 */
class ReloadSignalTest {

    /** Whether the kernel delivers SIGHUP to this process as ignored (bit 0 of SigIgn in /proc/self/status). */
    private static boolean hupIgnoredByThisProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1L) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn line in /proc/self/status");
    }

    @Test
    void sighupRunsTheReload() throws Exception {
        if (hupIgnoredByThisProcess()) {
            SignalHandler previous = ReloadSignal.install(() -> { });
            assertNull(previous, "SIGHUP is ignored in this process: install must report that a reload by signal is unavailable");
            return;
        }
        CountDownLatch reloaded = new CountDownLatch(1);
        String[] thread = new String[1];
        SignalHandler previous = ReloadSignal.install(() -> {
            thread[0] = Thread.currentThread().getName();
            reloaded.countDown();
        });
        assertNotNull(previous, "this JVM lets the head-end handle SIGHUP");
        try {
            Signal.raise(new Signal(ReloadSignal.NAME));
            assertTrue(reloaded.await(30, TimeUnit.SECONDS), "the reload ran after SIGHUP");
            assertTrue(thread[0].equals("psa-config-reload"), "not on the signal-dispatch thread: " + thread[0]);
        } finally {
            Signal.handle(new Signal(ReloadSignal.NAME), previous);
        }
    }
}
