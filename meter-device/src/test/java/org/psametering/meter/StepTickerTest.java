package org.psametering.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepTickerTest {

    @Test
    void aFailingMeterDoesNotStopTheOthersAndUnregisteredMetersAreNotTicked() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (StepTicker ticker = new StepTicker(scheduler, Duration.ofHours(1))) { // ticks driven by hand below
            AtomicInteger healthy = new AtomicInteger();
            AtomicInteger leaving = new AtomicInteger();
            ticker.register(() -> {
                throw new IllegalStateException("broken meter");
            });
            ticker.register(healthy::incrementAndGet);
            AutoCloseable registration = ticker.register(leaving::incrementAndGet);

            ticker.tickAll();
            registration.close();
            ticker.tickAll();

            assertEquals(2, healthy.get());
            assertEquals(1, leaving.get());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
