package org.psametering.headend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-point testing of the recovery of steps with missing meters ({@link RecoveryCrashScenario}): every commit,
 * publication and acknowledgement of the recovery flows crashes the head-end just before and just after it, and every
 * commit and publication fails once. Afterwards: the recovered step has the exact sum over exactly its reporting set
 * (or is INCOMPLETE, never a wrong number), the unanswered one is INCOMPLETE, no final result was published twice with
 * different values, no second different request for a label went out, the late ciphertexts stayed refused, every
 * message was acknowledged and the step inputs were purged.
 */
class RecoveryCrashPointTest {
    @TempDir
    Path dir;

    @Test
    void withoutACrashTheRecoveryScenarioMeetsEveryInvariant() {
        RecoveryCrashScenario clean = new RecoveryCrashScenario(dir.resolve("clean"), CrashPoints.countOnly());
        clean.run();
        assertEquals(List.of(), clean.violations());
        assertEquals(0, clean.restarts());
    }

    @Test
    void aCrashBeforeOrAfterOrAFailureOfAnySideEffectOfTheRecoveryBreaksNoInvariant() {
        AtomicInteger runs = new AtomicInteger();
        CrashSweep sweep = new CrashSweep(points -> new RecoveryCrashScenario(dir.resolve("run-" + runs.incrementAndGet()), points),
                RecoveryCrashScenario.FLOWS);
        List<String> failures = sweep.sweep();
        System.out.println(sweep.summary());
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures, sweep.summary());
        assertEquals(List.of(), sweep.unexercised(), "recovery flows without a crash point");
    }
}
