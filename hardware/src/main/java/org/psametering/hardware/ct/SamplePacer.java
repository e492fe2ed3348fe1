package org.psametering.hardware.ct;

import java.util.concurrent.locks.LockSupport;

/** Spaces ADC reads at the converter's data rate, so each read sees a fresh conversion and the bus is not flooded. */
@FunctionalInterface
public interface SamplePacer {

    void awaitNextSample() throws InterruptedException;

    /** A fixed-rate pacer on {@link System#nanoTime()}; when it falls behind it resynchronises rather than bursting. */
    static SamplePacer fixedRate(int samplesPerSecond) {
        long period = 1_000_000_000L / samplesPerSecond;
        return new SamplePacer() {
            private long next = System.nanoTime();

            @Override
            public void awaitNextSample() throws InterruptedException {
                next += period;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                if (-wait > period) {
                    next = System.nanoTime();
                }
            }
        };
    }
}
