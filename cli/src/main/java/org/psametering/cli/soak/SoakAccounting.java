package org.psametering.cli.soak;

import java.util.ArrayList;
import java.util.EnumMap;
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
import org.psametering.headend.core.RefusedCiphertext;
import org.psametering.headend.core.RejectReason;
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
 * <p>Each acknowledged ciphertext gets a {@link CiphertextFate} from what the head-end stored (results, held ciphertexts,
 * its record of refusals); only {@link CiphertextFate#LOST} is a loss. The soak's late window covers the whole run, so
 * the head-end purges neither held ciphertexts nor refusal records before the accounting.
 */
final class SoakAccounting {
    private static final int DETAILS = 20;

    private final List<String> members;
    private final TrueSums truth;

    /** Figures derived from results and acknowledgements. */
    record Figures(long steps, long exact, long recovered, long incomplete, long incompleteAllAcked, long noResult,
                   long wrong, long summed, long refusedAfterRecovery, long heldInIncomplete, long lost, long lostNearBrokerKill,
                   List<String> wrongResults, List<String> lostCiphertexts) {
    }

    /**
     * What the head-end stored about ciphertexts besides results.
     *
     * @param pending            the ciphertexts it still holds
     * @param refusals           its record of authentic ciphertexts refused by rule, one per (meter, epoch, label)
     * @param afterRecoveryCount its AFTER_RECOVERY rejection counter (every refused copy counts)
     */
    record HeadEndRecords(List<PendingCiphertext> pending, List<RefusedCiphertext> refusals, long afterRecoveryCount) {
    }

    SoakAccounting(List<String> members, TrueSums truth) {
        this.members = List.copyOf(members);
        this.truth = truth;
    }

    /**
     * @param firstLabel  the first label of the active epoch
     * @param stored      every result the head-end recorded (its final word per epoch and label)
     * @param published   every result message subscribers received, in order
     * @param records     held ciphertexts, refusal records and counter of the head-end
     * @param killNanos   {@link System#nanoTime()} of each broker SIGKILL
     */
    Figures account(long firstLabel, List<StepResult> stored, List<ResultMessage> published, HeadEndRecords records,
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

        Map<StepKey, StepResult> finalByStep = new HashMap<>();
        for (StepResult r : stored) {
            finalByStep.put(new StepKey(r.epoch(), r.label()), r); // one row per (group, epoch, label): the latest word
        }
        Set<Acked> held = new HashSet<>();
        for (PendingCiphertext p : records.pending()) {
            held.add(new Acked(p.meter(), p.epoch(), p.ciphertext().label()));
        }
        Set<Acked> refused = new HashSet<>();
        for (RefusedCiphertext r : records.refusals()) {
            if (r.reason() == RejectReason.AFTER_RECOVERY) {
                refused.add(new Acked(r.meter(), r.epoch(), r.label()));
            }
        }
        Map<CiphertextFate, Long> fates = new EnumMap<>(CiphertextFate.class);
        List<Acked> refusedAcked = new ArrayList<>();
        List<Acked> lostAcked = new ArrayList<>();
        for (Acked a : byMeterAndLabel(allAcked)) {
            CiphertextFate fate = CiphertextFate.of(a.meterId(), finalByStep.get(new StepKey(a.epoch(), a.label())), held.contains(a),
                    refused.contains(a));
            if (fate == CiphertextFate.REFUSED_AFTER_RECOVERY) {
                refusedAcked.add(a);
            } else if (fate == CiphertextFate.LOST) {
                lostAcked.add(a);
            } else {
                fates.merge(fate, 1L, Long::sum);
            }
        }
        List<String> lost = new ArrayList<>();
        if (refusedAcked.size() > records.afterRecoveryCount()) {
            // a record the head-end did not also count is no evidence of a refusal
            lostAcked.addAll(refusedAcked);
            lost.add(refusedAcked.size() + " refusal records but only " + records.afterRecoveryCount() + " AFTER_RECOVERY rejections counted");
            refusedAcked.clear();
        }
        long nearKill = 0;
        for (Acked a : lostAcked) {
            long ackedAt = acked.firstAckNanos(a);
            boolean beforeKill = killNanos.stream().anyMatch(k -> k >= ackedAt && k - ackedAt <= 1_000_000_000L);
            nearKill += beforeKill ? 1 : 0;
            StepResult r = finalByStep.get(new StepKey(a.epoch(), a.label()));
            lost.add(a.meterId() + " epoch " + a.epoch() + " label " + a.label() + ": step recorded "
                    + (r == null ? "nothing" : r.status() + r.reason().map(x -> " (" + x + ")").orElse("") + " missing " + r.missing())
                    + (refused.contains(a) ? "; refused AFTER_RECOVERY" : "") + (beforeKill ? " (acknowledged < 1 s before a broker kill)" : ""));
        }
        return new Figures(steps, exact, recovered, incomplete, incompleteAllAcked, noResult, wrong.size(),
                fates.getOrDefault(CiphertextFate.SUMMED, 0L), refusedAcked.size(), fates.getOrDefault(CiphertextFate.HELD_IN_INCOMPLETE_STEP, 0L),
                lostAcked.size(), nearKill, wrong.stream().limit(DETAILS).toList(), lost.stream().limit(DETAILS).toList());
    }

    private record StepKey(long epoch, long label) {
    }

    private static java.util.SortedSet<Acked> byMeterAndLabel(Set<Acked> all) {
        java.util.SortedSet<Acked> sorted = new TreeSet<>(java.util.Comparator.comparing(Acked::meterId).thenComparingLong(Acked::label)
                .thenComparingLong(Acked::epoch));
        sorted.addAll(all);
        return sorted;
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
