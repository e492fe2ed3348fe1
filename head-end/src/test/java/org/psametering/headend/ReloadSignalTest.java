package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** SIGHUP, raised in this JVM, runs the reload (on its own thread); the JVM's previous handler is put back after. */
class ReloadSignalTest {
    @Test
    void sighupRunsTheReload() throws InterruptedException {
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
