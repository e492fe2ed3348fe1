package org.psametering.hardware.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.SensorException;

class BackgroundSamplerTest {

    @Test
    void aFailedStepIsReportedAndSamplingGoesOn() throws InterruptedException {
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch thirdStep = new CountDownLatch(1);
        List<String> failures = new CopyOnWriteArrayList<>();
        BackgroundSampler sampler = new BackgroundSampler("test-sampler", () -> {
            int n = steps.incrementAndGet();
            if (n <= 2) {
                throw new SensorException("bad window " + n);
            }
            thirdStep.countDown();
            new CountDownLatch(1).await(); // block until stopped
        }, e -> failures.add(e.getMessage()), Duration.ZERO);
        sampler.start();
        assertTrue(thirdStep.await(30, TimeUnit.SECONDS), "the loop must go on after failed steps");
        assertEquals(List.of("bad window 1", "bad window 2"), failures);
        assertTrue(sampler.stop());
        assertEquals(3, steps.get());
    }

    @Test
    void stopInterruptsABlockedStepAndJoinsTheThread() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        BackgroundSampler sampler = new BackgroundSampler("test-sampler", () -> {
            blocked.countDown();
            new CountDownLatch(1).await();
        }, e -> { }, Duration.ofSeconds(1));
        sampler.start();
        sampler.start(); // a second start must not start a second thread
        assertTrue(blocked.await(30, TimeUnit.SECONDS));
        assertTrue(sampler.isRunning());
        assertTrue(sampler.stop());
        assertFalse(sampler.isRunning());
        assertTrue(sampler.isStopped());
        assertFalse(sampler.stop(), "only the first stop reports true, so the caller releases its hardware once");
    }

    @Test
    void cannotStartOnceStopped() {
        BackgroundSampler sampler = new BackgroundSampler("test-sampler", () -> { }, e -> { }, Duration.ZERO);
        assertTrue(sampler.stop());
        assertFalse(sampler.isRunning());
        assertThrows(IllegalStateException.class, sampler::start);
    }

    @Test
    void rejectsANegativePause() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackgroundSampler("test-sampler", () -> { }, x -> { }, Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("pauseAfterFailure"), e.getMessage());
    }
}
