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
    /**
     * Which points to sweep. A 100-member epoch does the same side effect for one meter after another (a key set
     * published per meter, an ack per public key): {@link #RUN_ENDS} crashes at the first, the middle and the last of
     * such a run (before and after each: nothing done, one done, some done, all but one, all) and at every other point; {@link #EVERY_POINT} at every point. {@code -Dcrash.everyPoint=true} forces the latter.
     */
    enum Thinning { EVERY_POINT, RUN_ENDS }

    /** Runs longer than this are thinned to their ends and middle. */
    private static final int RUN_KEPT = 3;

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
    private final Thinning thinning;
    private int thinnedOut;

    /** @param sweptFlows the flows whose side effects are crashed and failed (in the order to report them) */
    CrashSweep(Function<CrashPoints, Scenario> scenarios, List<String> sweptFlows) {
        this(scenarios, sweptFlows, Thinning.EVERY_POINT);
    }

    CrashSweep(Function<CrashPoints, Scenario> scenarios, List<String> sweptFlows, Thinning thinning) {
        this.scenarios = scenarios;
        this.sweptFlows = sweptFlows;
        this.thinning = Boolean.getBoolean("crash.everyPoint") ? Thinning.EVERY_POINT : thinning;
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
        boolean[] kept = kept(flows, counting.sites());
        for (int call = 1; call <= flows.size(); call++) {
            String flow = flows.get(call - 1);
            if (!perFlow.containsKey(flow)) {
                continue;
            }
            if (!kept[call - 1]) {
                thinnedOut++;
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

    /** The calls to sweep: all, or with each run of one site in one flow thinned to its ends and middle. */
    private boolean[] kept(List<String> flows, List<String> sites) {
        boolean[] kept = new boolean[flows.size()];
        int start = 0;
        while (start < kept.length) {
            int end = start; // exclusive
            while (end < kept.length && flows.get(end).equals(flows.get(start)) && sites.get(end).equals(sites.get(start))) {
                end++;
            }
            int length = end - start;
            for (int i = start; i < end; i++) {
                int at = i - start;
                kept[i] = thinning == Thinning.EVERY_POINT || length <= RUN_KEPT || at == 0 || at == length - 1 || at == length / 2;
            }
            start = end;
        }
        return kept;
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
        if (thinnedOut > 0) {
            s.append("\n  (").append(thinnedOut).append(" points inside runs of the same side effect not swept: -Dcrash.everyPoint=true sweeps them)");
        }
        return s.toString();
    }

    /** Flows that had no crash point at all (a scenario that silently skipped one). */
    List<String> unexercised() {
        return sweptFlows.stream().filter(f -> perFlow.get(f)[0] == 0).toList();
    }
}
