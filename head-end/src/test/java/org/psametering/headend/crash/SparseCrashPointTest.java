package org.psametering.headend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-point testing of a group on the sparse mask graph ({@link SparseCrashScenario}): its key setup and activation
 * crash the head-end just before and just after each commit, publication and acknowledgement, and fail each commit and
 * publication once (runs of the same per-meter side effect thinned to their ends and middle). After each restart the
 * same graph and byte-identical per-meter key sets are announced, no meter is sent a second key set to blind for, and
 * the steps aggregate to the exact sum.
 */
class SparseCrashPointTest {
    @TempDir
    Path dir;

    @Test
    void withoutACrashTheSparseScenarioMeetsEveryInvariant() {
        SparseCrashScenario clean = new SparseCrashScenario(dir.resolve("clean"), CrashPoints.countOnly(), new MeterWork());
        clean.run();
        assertEquals(List.of(), clean.violations());
        assertEquals(0, clean.restarts());
    }

    @Test
    void aCrashBeforeOrAfterOrAFailureOfAnySideEffectOfASparseKeySetupBreaksNoInvariant() {
        AtomicInteger runs = new AtomicInteger();
        MeterWork work = new MeterWork();
        CrashSweep sweep = new CrashSweep(points -> new SparseCrashScenario(dir.resolve("run-" + runs.incrementAndGet()), points, work),
                SparseCrashScenario.FLOWS, CrashSweep.Thinning.RUN_ENDS);
        List<String> failures = sweep.sweep();
        System.out.println(sweep.summary());
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures, sweep.summary());
        assertEquals(List.of(), sweep.unexercised(), "sparse flows without a crash point");
    }
}
