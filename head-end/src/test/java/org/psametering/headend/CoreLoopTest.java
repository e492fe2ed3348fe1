package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.Topics;

class CoreLoopTest {
    @TempDir
    Path dataDir;

    @Test
    void messagesFromAnotherThreadAreProcessedAndAcknowledgedOnTheCoreThread() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        try (CoreHarness h = new CoreHarness(StorageSettings.defaults(), dataDir, clock, CoreHarness.group("g", 900, 60, "a", "b"))) {
            Map<String, TestMeter> meters = h.setUpKeys("g");
            long label = h.announcement("g").activeFromLabel().orElseThrow();
            clock.set(Instant.ofEpochSecond((label + 1) * 900 + 1));
            AtomicInteger acks = new AtomicInteger();
            try (CoreLoop loop = new CoreLoop(h.core, 50)) {
                loop.start();
                Thread sender = new Thread(() -> {
                    for (TestMeter meter : meters.values()) {
                        loop.submit(new InboundMessage(Topics.ciphertext("g", 0, meter.id()), meter.ciphertextPayload(label, 21), acks::incrementAndGet));
                    }
                });
                sender.start();
                sender.join();
                // tasks run in queue order: once this one ran, both messages were handled
                loop.execute(() -> { }).get(30, TimeUnit.SECONDS);
                assertEquals(2, acks.get());
                assertEquals(1, h.core.counters().completeResults());

                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> loop.execute(() -> { throw new IllegalStateException("boom"); }).get(30, TimeUnit.SECONDS));
                assertEquals("boom", failed.getCause().getMessage());
                loop.execute(() -> { }).get(30, TimeUnit.SECONDS); // still running after a failed task
            }
        }
    }
}
