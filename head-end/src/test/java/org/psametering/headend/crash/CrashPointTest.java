package org.psametering.headend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-point testing of the head-end core (issue 14): the scenario of {@link CrashScenario} is run once per side
 * effect (every database commit, every publication, every acknowledgement), crashing just before and just after it,
 * and once more per commit and publication making just that one fail (the process goes on; unacknowledged messages
 * come again after a reconnect). Afterwards every invariant must hold: each step exactly one final result with the
 * true sum or the right missing list, no epoch stuck, no acknowledged ciphertext lost.
 */
class CrashPointTest {
    @TempDir
    Path dir;

    @Test
    void withoutACrashTheScenarioMeetsEveryInvariant() {
        CrashScenario clean = new CrashScenario(dir.resolve("clean"), CrashPoints.countOnly());
        clean.run();
        assertEquals(List.of(), clean.violations());
    }

    @Test
    void aCrashBeforeOrAfterOrAFailureOfAnySideEffectOfAnyFlowBreaksNoInvariant() {
        AtomicInteger runs = new AtomicInteger();
        CrashSweep sweep = new CrashSweep(points -> new CrashScenario(dir.resolve("run-" + runs.incrementAndGet()), points),
                CrashScenario.FLOWS);
        List<String> failures = sweep.sweep();
        System.out.println(sweep.summary());
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures, sweep.summary());
        assertEquals(List.of(), sweep.unexercised(), "flows without a crash point");
    }

    @Test
    void onARecoverableGroupACrashOrFailureAroundTheRetirementLeavesNoRetiredEpochWithItsKeys() {
        CrashScenario clean = CrashScenario.recoverable(dir.resolve("clean-rec"), CrashPoints.countOnly());
        clean.run();
        assertEquals(List.of(), clean.violations());

        AtomicInteger runs = new AtomicInteger();
        CrashSweep sweep = new CrashSweep(points -> CrashScenario.recoverable(dir.resolve("rec-" + runs.incrementAndGet()), points),
                CrashScenario.RETIREMENT_FLOWS);
        List<String> failures = sweep.sweep();
        System.out.println(sweep.summary());
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures, sweep.summary());
        assertEquals(List.of(), sweep.unexercised(), "flows without a crash point");
    }
}
