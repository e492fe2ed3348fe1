package org.psametering.cli.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * A stored history of step results for a group, as a head-end that ran for days would have it: a daily load curve
 * with noise, now and then a RECOVERED step (one meter missing) and an INCOMPLETE one (too few reported). For the web
 * page's browser test and the aggregates benchmark, which need weeks of steps without waiting weeks. Seeded: the same
 * arguments give the same rows.
 */
public final class SyntheticHistory {
    /** Every this many steps one is RECOVERED (a member missing, the others summed). */
    static final int RECOVERED_EVERY = 53;
    /** Every this many steps one is INCOMPLETE (no sum). */
    static final int INCOMPLETE_EVERY = 211;

    private SyntheticHistory() {
    }

    /**
     * {@code steps} results of {@code group}, epoch {@code epoch}, for the labels just before {@code endLabel}, oldest first.
     */
    public static List<StepResult> results(String group, long epoch, List<String> members, int stepSeconds, long endLabel, int steps,
                                           long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<StepResult> out = new ArrayList<>(steps);
        for (long label = endLabel - steps; label < endLabel; label++) {
            Instant start = TimeSteps.start(label, stepSeconds);
            Instant recorded = start.plusSeconds(stepSeconds + 5);
            double hour = (start.getEpochSecond() % 86_400) / 3600.0;
            // a household draws ~0.3 kW at night, more in the morning and most in the evening
            double kw = 0.3 + 0.5 * Math.exp(-Math.pow(hour - 7.5, 2) / 2) + 1.1 * Math.exp(-Math.pow(hour - 19, 2) / 4);
            long perMeterWh = Math.round(kw * 1000 * stepSeconds / 3600.0);
            if (label % INCOMPLETE_EVERY == 0) {
                List<String> missing = members.subList(0, Math.min(members.size() - 1, 3));
                out.add(new StepResult(group, epoch, label, start, stepSeconds, ResultStatus.INCOMPLETE, OptionalLong.empty(), missing,
                        members.size() - missing.size(), recorded));
            } else {
                boolean recovered = label % RECOVERED_EVERY == 0;
                int reported = recovered ? members.size() - 1 : members.size();
                long sum = 0;
                for (int i = 0; i < reported; i++) {
                    sum += Math.max(0, perMeterWh + random.nextLong(-perMeterWh / 3, perMeterWh / 3 + 1));
                }
                List<String> missing = recovered ? List.of(members.get(members.size() - 1)) : List.of();
                out.add(new StepResult(group, epoch, label, start, stepSeconds, recovered ? ResultStatus.RECOVERED : ResultStatus.COMPLETE,
                        OptionalLong.of(sum), missing, reported, recorded));
            }
        }
        return out;
    }

    /** Stores the results as already published (a head-end started on this store does not publish them again). */
    public static void store(ResultStore store, List<StepResult> results) {
        for (int from = 0; from < results.size(); from += 500) {
            List<StepResult> batch = results.subList(from, Math.min(results.size(), from + 500));
            store.save(batch);
            store.markPublished(batch);
        }
    }
}
