package org.psametering.cli.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.psametering.cli.sim.AcknowledgedCiphertexts;
import org.psametering.cli.sim.AcknowledgedCiphertexts.Acked;
import org.psametering.cli.sim.TrueSums;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;

/**
 * Compares what the system did with the truth only the simulation knows.
 *
 * <p>A result claims the group's members minus the ones it lists missing; its sum is right when it equals the sum of the
 * readings those meters encrypted for its label. An INCOMPLETE result has no sum and so can never be wrong: a step a meter
 * missed is a gap, not an error.
 *
 * <p>An acknowledged ciphertext is accounted for when its step's final result used it (COMPLETE; or a result with a sum
 * that does not list its meter missing), or when the head-end still holds it as pending. An INCOMPLETE step's ciphertexts
 * stay pending: the soak's late window covers the whole run, so the head-end purges none of them.
 */
final class SoakAccounting {
    private static final int DETAILS = 20;

    private final List<String> members;
    private final TrueSums truth;

    /** Figures derived from results and acknowledgements. */
    record Figures(long steps, long exact, long recovered, long incomplete, long incompleteAllAcked, long noResult,
                   long wrong, long lost, long lostNearBrokerKill, List<String> wrongResults, List<String> lostCiphertexts) {
    }

    SoakAccounting(List<String> members, TrueSums truth) {
        this.members = List.copyOf(members);
        this.truth = truth;
    }

    /**
     * @param firstLabel  the first label of the active epoch
     * @param stored      every result the head-end recorded (its final word per epoch and label)
     * @param published   every result message subscribers received, in order
     * @param pending     the ciphertexts the head-end still holds
     * @param killNanos   {@link System#nanoTime()} of each broker SIGKILL
     */
    Figures account(long firstLabel, List<StepResult> stored, List<ResultMessage> published, List<PendingCiphertext> pending,
                    AcknowledgedCiphertexts acked, List<Long> killNanos) {
        Map<Long, StepResult> finalByLabel = new HashMap<>();
        for (StepResult r : stored) {
            finalByLabel.merge(r.label(), r, (a, b) -> a.epoch() >= b.epoch() ? a : b);
        }
        // up to the last step a meter reported: the one in progress when the meters stopped has no readings by design
        long lastLabel = truth.labels().stream().mapToLong(Long::longValue).max().orElse(firstLabel - 1);
        Set<Acked> allAcked = acked.all();
        long incompleteAllAcked = 0;
        long steps = 0;
        long exact = 0;
        long recovered = 0;
        long incomplete = 0;
        long noResult = 0;
        for (long label = firstLabel; label <= lastLabel; label++) {
            steps++;
            StepResult r = finalByLabel.get(label);
            if (r == null) {
                noResult++;
            } else if (r.status() == ResultStatus.INCOMPLETE) {
                incomplete++;
                long epoch = r.epoch();
                long l = label;
                if (members.stream().allMatch(m -> allAcked.contains(new Acked(m, epoch, l)))) {
                    incompleteAllAcked++; // the broker had every member's ciphertext, yet the step never completed
                }
            } else if (r.status() == ResultStatus.COMPLETE) {
                exact += isRight(r.label(), r.sum(), r.missing()) ? 1 : 0;
            } else if (r.status().name().equals("RECOVERED")) {
                recovered++;
            }
        }

        Set<String> wrong = new LinkedHashSet<>();
        for (StepResult r : stored) {
            if (!isRight(r.label(), r.sum(), r.missing())) {
                wrong.add(describe(r.epoch(), r.label(), r.status(), r.sum(), r.missing()));
            }
        }
        for (ResultMessage r : published) {
            if (!isRight(r.label(), r.sum(), r.missing())) {
                wrong.add(describe(r.epoch(), r.label(), r.status(), r.sum(), r.missing()));
            }
        }

        Set<Acked> held = new HashSet<>();
        for (PendingCiphertext p : pending) {
            held.add(new Acked(p.meter(), p.epoch(), p.ciphertext().label()));
        }
        List<String> lost = new ArrayList<>();
        long nearKill = 0;
        for (Acked a : byMeterAndLabel(allAcked)) {
            if (held.contains(a) || usedBy(finalByLabel.get(a.label()), a)) {
                continue;
            }
            long ackedAt = acked.firstAckNanos(a);
            boolean beforeKill = killNanos.stream().anyMatch(k -> k >= ackedAt && k - ackedAt <= 1_000_000_000L);
            nearKill += beforeKill ? 1 : 0;
            StepResult r = finalByLabel.get(a.label());
            lost.add(a.meterId() + " epoch " + a.epoch() + " label " + a.label() + ": step recorded "
                    + (r == null ? "nothing" : r.status() + " missing " + r.missing()) + (beforeKill ? " (acknowledged < 1 s before a broker kill)" : ""));
        }
        return new Figures(steps, exact, recovered, incomplete, incompleteAllAcked, noResult, wrong.size(), lost.size(), nearKill,
                wrong.stream().limit(DETAILS).toList(), lost.stream().limit(DETAILS).toList());
    }

    private static java.util.SortedSet<Acked> byMeterAndLabel(Set<Acked> all) {
        java.util.SortedSet<Acked> sorted = new TreeSet<>(java.util.Comparator.comparing(Acked::meterId).thenComparingLong(Acked::label)
                .thenComparingLong(Acked::epoch));
        sorted.addAll(all);
        return sorted;
    }

    /** True if the step's final result used this ciphertext: a sum over the members that does not list its meter missing. */
    private static boolean usedBy(StepResult r, Acked a) {
        return r != null && r.epoch() == a.epoch() && r.sum().isPresent() && !r.missing().contains(a.meterId());
    }

    /** No sum is never wrong; a sum must equal the truth over the meters it claims, each of which must have encrypted. */
    private boolean isRight(long label, OptionalLong sum, List<String> missing) {
        if (sum.isEmpty()) {
            return true;
        }
        long expected = 0;
        for (String m : members) {
            if (missing.contains(m)) {
                continue;
            }
            Optional<Long> reading = reading(m, label);
            if (reading.isEmpty()) {
                return false; // a sum that claims a reading that was never encrypted
            }
            expected += reading.get();
        }
        return expected == sum.getAsLong();
    }

    private Optional<Long> reading(String meter, long label) {
        OptionalLong r = truth.reading(meter, label);
        return r.isPresent() ? Optional.of(r.getAsLong()) : Optional.empty();
    }

    private String describe(long epoch, long label, ResultStatus status, OptionalLong sum, List<String> missing) {
        StringBuilder truthParts = new StringBuilder();
        for (String m : members) {
            OptionalLong r = truth.reading(m, label);
            truthParts.append(m).append('=').append(r.isPresent() ? String.valueOf(r.getAsLong()) : "none").append(' ');
        }
        return "epoch " + epoch + " label " + label + " " + status + " sum " + (sum.isPresent() ? sum.getAsLong() : "-") + " missing " + missing
                + "; truth: " + truthParts.toString().trim();
    }
}
