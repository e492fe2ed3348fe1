package org.psametering.headend.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a crash scenario once per side effect of the chosen flows: a crash just before and just after it, and (for
 * commits and publications) a failure of just that one. Collects every broken invariant with the point that broke
 * it, and a tally per flow, so a test can assert that nothing broke and that every flow was exercised.
 */
final class CrashSweep {
    /** One head-end life with at most one armed crash or failure. */
    interface Scenario {
        void run();

        List<String> violations();

        /** Restarts caused by a crash (planned restarts not counted). */
        int restarts();
    }

    private final Function<CrashPoints, Scenario> scenarios;
    private final List<String> sweptFlows;
    private final Map<String, int[]> perFlow = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    /** @param sweptFlows the flows whose side effects are crashed and failed (in the order to report them) */
    CrashSweep(Function<CrashPoints, Scenario> scenarios, List<String> sweptFlows) {
        this.scenarios = scenarios;
        this.sweptFlows = sweptFlows;
        sweptFlows.forEach(f -> perFlow.put(f, new int[4]));
    }

    /** Sweeps every point; returns the broken invariants ("flow: point: problems"), empty when all held. */
    List<String> sweep() {
        CrashPoints counting = CrashPoints.countOnly();
        Scenario clean = scenarios.apply(counting);
        clean.run();
        assertEquals(List.of(), clean.violations(), "the scenario without a crash");
        List<String> flows = counting.flows();
        List<String> kinds = counting.kinds();
        for (int call = 1; call <= flows.size(); call++) {
            String flow = flows.get(call - 1);
            if (!perFlow.containsKey(flow)) {
                continue;
            }
            for (CrashPoints.When when : CrashPoints.When.values()) {
                CrashPoints points = CrashPoints.crashAt(call, when);
                List<String> problems = runOnce(points);
                assertTrue(points.fired(), "crash point " + call + " was not reached");
                tally(flow, 0, problems, "crash " + when + " " + kinds.get(call - 1) + " #" + call);
            }
            if (!kinds.get(call - 1).equals("ack")) {
                tally(flow, 2, runOnce(CrashPoints.failAt(call)), "FAIL " + kinds.get(call - 1) + " #" + call);
            }
        }
        return List.copyOf(failures);
    }

    private List<String> runOnce(CrashPoints points) {
        Scenario run = scenarios.apply(points);
        try {
            run.run();
            List<String> problems = new ArrayList<>(run.violations());
            if (!points.failing() && run.restarts() != 1) {
                problems.add(run.restarts() + " restarts after one crash");
            }
            return problems;
        } catch (RuntimeException | AssertionError e) {
            return List.of("scenario failed: " + e);
        }
    }

    private void tally(String flow, int column, List<String> problems, String point) {
        int[] t = perFlow.get(flow);
        t[column]++;
        if (!problems.isEmpty()) {
            t[column + 1]++;
            failures.add(flow + ": " + point + ": " + problems);
        }
    }

    /** Points per flow: crashes exercised / broken, failures exercised / broken. */
    String summary() {
        StringBuilder s = new StringBuilder("points per flow: crashes (before/after each commit, publish, ack) exercised / broken;"
                + " failures (each commit, publish) exercised / broken");
        perFlow.forEach((flow, t) -> s.append("\n  ").append(flow).append(": crashes ").append(t[0]).append(" / ").append(t[1])
                .append(", failures ").append(t[2]).append(" / ").append(t[3]));
        return s.toString();
    }

    /** Flows that had no crash point at all (a scenario that silently skipped one). */
    List<String> unexercised() {
        return sweptFlows.stream().filter(f -> perFlow.get(f)[0] == 0).toList();
    }
}
