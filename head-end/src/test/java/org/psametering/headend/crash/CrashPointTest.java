package org.psametering.headend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        CrashPoints counting = CrashPoints.countOnly();
        new CrashScenario(dir.resolve("count"), counting).run();
        List<String> flows = counting.flows();
        Map<String, int[]> perFlow = new LinkedHashMap<>();
        CrashScenario.FLOWS.forEach(f -> perFlow.put(f, new int[4]));
        List<String> failures = new ArrayList<>();
        for (int call = 1; call <= flows.size(); call++) {
            for (CrashPoints.When when : CrashPoints.When.values()) {
                CrashPoints points = CrashPoints.crashAt(call, when);
                CrashScenario run = new CrashScenario(dir.resolve(call + "-" + when), points);
                String flow = flows.get(call - 1);
                int[] tally = perFlow.computeIfAbsent(flow, f -> new int[4]);
                tally[0]++;
                List<String> problems;
                try {
                    run.run();
                    problems = run.violations();
                } catch (RuntimeException | AssertionError e) {
                    problems = List.of("scenario failed: " + e);
                }
                assertTrue(points.fired(), "crash point " + call + " was not reached");
                assertEquals(1, run.restarts(), "one crash, one restart");
                if (!problems.isEmpty()) {
                    tally[1]++;
                    failures.add(flow + ": crash " + when + " " + counting.kinds().get(call - 1) + " #" + call + ": " + problems);
                }
            }
        }
        for (int call = 1; call <= flows.size(); call++) {
            if (counting.kinds().get(call - 1).equals("ack")) {
                continue;
            }
            CrashPoints points = CrashPoints.failAt(call);
            CrashScenario run = new CrashScenario(dir.resolve(call + "-FAIL"), points);
            String flow = flows.get(call - 1);
            int[] tally = perFlow.computeIfAbsent(flow, f -> new int[4]);
            tally[2]++;
            List<String> problems;
            try {
                run.run();
                problems = run.violations();
            } catch (RuntimeException | AssertionError e) {
                problems = List.of("scenario failed: " + e);
            }
            if (!problems.isEmpty()) {
                tally[3]++;
                failures.add(flow + ": FAIL " + counting.kinds().get(call - 1) + " #" + call + ": " + problems);
            }
        }
        StringBuilder summary = new StringBuilder("points per flow: crashes (before/after each commit, publish, ack) exercised / broken;"
                + " failures (each commit, publish) exercised / broken");
        perFlow.forEach((flow, t) -> summary.append("\n  ").append(flow).append(": crashes ").append(t[0]).append(" / ").append(t[1])
                .append(", failures ").append(t[2]).append(" / ").append(t[3]));
        System.out.println(summary);
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures, summary.toString());
    }
}
