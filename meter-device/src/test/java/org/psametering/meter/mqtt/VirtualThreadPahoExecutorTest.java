package org.psametering.meter.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class VirtualThreadPahoExecutorTest {

    @Test
    void runsTasksOnVirtualThreadsAndIgnoresShutdownFromClients() throws Exception {
        VirtualThreadPahoExecutor executor = VirtualThreadPahoExecutor.create();
        try {
            Future<Boolean> virtual = executor.submit(() -> Thread.currentThread().isVirtual());
            assertTrue(virtual.get());
            executor.shutdown(); // what a closing Paho client may do
            assertTrue(executor.submit(() -> true).get(), "still serving the other clients");
            assertFalse(executor.isShutdown());
        } finally {
            executor.close();
        }
        assertTrue(executor.isShutdown());
    }
}
