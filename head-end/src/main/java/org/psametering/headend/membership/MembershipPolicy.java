package org.psametering.headend.membership;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

import org.psametering.headend.config.GroupSettings;

/**
 * The pure decision: which active members to drop and which dropped ones to take back, now. Rules:
 * <ul>
 *   <li>a member missing from {@code dropAfterMissedSteps} results in a row is a drop candidate (0 = never), and so
 *       is one a key setup stalled for longer than {@code keySetupWarnSeconds} still waits for (those go first);</li>
 *   <li>a dropped member heard again is a re-admission candidate;</li>
 *   <li>no drop leaves fewer than {@code minMembers} active (after re-admissions): the longest absent go first, the
 *       rest are kept and reported as held by the floor, since a sum over too few households reveals one of them;</li>
 *   <li>nothing happens before {@code minRekeyIntervalSeconds} passed since the last re-key (each re-key costs every
 *       member a key setup, and a flapping meter must not make the group re-key every step).</li>
 * </ul>
 */
final class MembershipPolicy {
    private MembershipPolicy() {
    }

    /** What to do now; {@code drop} and {@code readmit} are empty when nothing is due or the rate limit holds it. */
    record Plan(List<String> drop, List<String> readmit, List<String> keptByFloor, Optional<Instant> notBefore, boolean waiting) {
        boolean changes() {
            return !drop.isEmpty() || !readmit.isEmpty();
        }
    }

    /**
     * {@code absentActive}: the active members with at least one miss, {@code holdingUpKeySetup} active members too;
     * no other member can be a drop candidate, so the plan costs the absent members, not the group's size.
     * {@code activeCount}: all active members.
     */
    static Plan plan(GroupSettings settings, int activeCount, Collection<String> absentActive, Set<String> heardAgain,
                     Set<String> holdingUpKeySetup, ToIntFunction<String> misses, Optional<Instant> lastRekey, Instant now) {
        List<String> readmit = heardAgain.stream().sorted().toList();
        List<String> candidates = new ArrayList<>(holdingUpKeySetup);
        if (settings.dropAfterMissedSteps() > 0) {
            for (String meter : absentActive) {
                if (!holdingUpKeySetup.contains(meter) && misses.applyAsInt(meter) >= settings.dropAfterMissedSteps()) {
                    candidates.add(meter);
                }
            }
        }
        candidates.sort(Comparator.comparing((String m) -> !holdingUpKeySetup.contains(m))
                .thenComparing(Comparator.comparingInt(misses).reversed()).thenComparing(Comparator.naturalOrder()));
        int room = activeCount + readmit.size() - settings.minMembers();
        List<String> drop = new ArrayList<>(candidates.subList(0, Math.max(0, Math.min(room, candidates.size()))));
        List<String> kept = List.copyOf(candidates.subList(drop.size(), candidates.size()));
        drop.sort(Comparator.naturalOrder());
        Optional<Instant> notBefore = lastRekey.map(t -> t.plusSeconds(settings.minRekeyIntervalSeconds()));
        if ((drop.isEmpty() && readmit.isEmpty()) || (notBefore.isPresent() && now.isBefore(notBefore.get()))) {
            return new Plan(List.of(), List.of(), kept, notBefore, !drop.isEmpty() || !readmit.isEmpty());
        }
        return new Plan(List.copyOf(drop), readmit, kept, notBefore, false);
    }
}
