package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Parallel checks report what a loop in member order reports: the lowest failing index, and all pass only if all ran. */
class KeySetupPoolTest {

    @Test
    void everyIndexIsCheckedExactlyOnceWhenAllPass() {
        for (int threads : new int[] {1, 2, 4, 7}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(1000);
            Set<String> names = ConcurrentHashMap.newKeySet();
            assertNull(new KeySetupPool(threads).firstFailure(1000, i -> {
                runs.incrementAndGet(i);
                names.add(Thread.currentThread().getName());
                return null;
            }));
            for (int i = 0; i < 1000; i++) {
                assertEquals(1, runs.get(i), "index " + i + " with " + threads + " threads");
            }
            assertTrue(names.size() <= threads, names.toString());
        }
    }

    @Test
    void theLowestFailingIndexIsReportedWhateverTheOrderOfCompletion() {
        for (int threads : new int[] {1, 2, 4, 8}) {
            for (int round = 0; round < 20; round++) {
                int lowBad = 100 + round * 37;
                String failure = new KeySetupPool(threads).firstFailure(1000, i -> {
                    if (i == lowBad) {
                        sleepQuietly(2); // the lower failure finishes after a higher one
                        return "bad " + i;
                    }
                    return i == 999 || i == lowBad + 1 ? "bad " + i : null;
                });
                assertEquals("bad " + lowBad, failure, threads + " threads");
            }
        }
    }

    @Test
    void anExceptionOfACheckReachesTheCaller() {
        assertThrows(IllegalStateException.class, () -> new KeySetupPool(3).firstFailure(100, i -> {
            if (i == 50) {
                throw new IllegalStateException("boom");
            }
            return null;
        }));
        assertThrows(IllegalArgumentException.class, () -> new KeySetupPool(0));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
