package org.psametering.headend.membership;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts, per meter, the step results in a row that listed it as missing. Fed with every stored result (COMPLETE,
 * INCOMPLETE, RECOVERED...: only the reporting and missing sets matter). A result may be stored more than once for a
 * label (an INCOMPLETE, then a later one with fewer missing, then COMPLETE): the misses are kept per label, and a
 * report at label t clears every miss at or before t, so a late report is not mistaken for absence and one label
 * never counts twice.
 */
final class AbsenceTracker {
    /** Labels kept per meter; older misses are only counted (a meter absent for months costs no memory). */
    static final int KEPT_LABELS = 10_000;

    private final Map<String, TreeSet<Long>> missed = new HashMap<>();
    private final Map<String, Integer> olderMisses = new HashMap<>();
    private final Map<String, Long> lastReported = new HashMap<>();

    void reported(Collection<String> meters, long label) {
        for (String meter : meters) {
            lastReported.merge(meter, label, Math::max);
            TreeSet<Long> labels = missed.get(meter);
            if (labels != null) {
                boolean reachesOldest = !labels.isEmpty() && label >= labels.first();
                labels.headSet(label, true).clear();
                if (reachesOldest) {
                    // the counted-only misses are all older than the oldest kept one
                    olderMisses.remove(meter);
                }
                if (labels.isEmpty()) {
                    // keeps absent() to the meters with misses (olderMisses went with the oldest kept label)
                    missed.remove(meter);
                }
            }
        }
    }

    void missing(Collection<String> meters, long label) {
        for (String meter : meters) {
            if (lastReported.getOrDefault(meter, Long.MIN_VALUE) < label) {
                TreeSet<Long> labels = missed.computeIfAbsent(meter, m -> new TreeSet<>());
                if (labels.add(label) && labels.size() > KEPT_LABELS) {
                    labels.pollFirst();
                    olderMisses.merge(meter, 1, Integer::sum);
                }
            }
        }
    }

    int misses(String meter) {
        TreeSet<Long> labels = missed.get(meter);
        return (labels == null ? 0 : labels.size()) + olderMisses.getOrDefault(meter, 0);
    }

    /** The meters with at least one miss counted: the only drop candidates for absence. */
    Set<String> absent() {
        return Collections.unmodifiableSet(missed.keySet());
    }

    OptionalLong lastReported(String meter) {
        Long label = lastReported.get(meter);
        return label == null ? OptionalLong.empty() : OptionalLong.of(label);
    }

    /** Starts counting afresh (a dropped meter; a re-admitted one must miss steps of its new epoch). */
    void reset(String meter) {
        missed.remove(meter);
        olderMisses.remove(meter);
    }
}
