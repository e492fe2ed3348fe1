package org.psametering.headend.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Collects the ciphertexts of one active (group, epoch) per label and turns them into results: COMPLETE as soon as
 * every member reported, INCOMPLETE (with the missing meters) once the step's deadline passed, and COMPLETE later
 * if the missing ones still arrive within the late window.
 *
 * <p>Accepted labels: {@code [activeFrom, activeUntil)} of the epoch, not before the late window, at most one step
 * ahead of now. Single-threaded by design (the head-end's core thread owns it).
 */
public final class EpochCollector {
    private final GroupContext context;
    private final int stepSeconds;
    private final long deadlineSeconds;
    private final long lateWindowSeconds;
    private final List<String> members;
    private final Map<String, Integer> memberIndex = new HashMap<>();
    private final PsaAggregator aggregator;
    private final long activeFrom;
    private long activeUntil = Long.MAX_VALUE;
    private final TreeMap<Long, Step> open = new TreeMap<>();
    private final Set<Long> completed = new HashSet<>();
    private long nextToClose;

    /** The ciphertexts of one label so far; {@code incompleteRecorded} once its deadline produced a result. */
    private static final class Step {
        final Ciphertext[] slots;
        int count;
        boolean incompleteRecorded;

        Step(int size) {
            slots = new Ciphertext[size];
        }
    }

    public EpochCollector(EpochKeySetup epoch, long deadlineSeconds, long lateWindowSeconds) {
        this.context = epoch.context();
        this.stepSeconds = epoch.stepSeconds();
        this.deadlineSeconds = deadlineSeconds;
        this.lateWindowSeconds = lateWindowSeconds;
        this.members = epoch.members();
        for (int i = 0; i < members.size(); i++) {
            memberIndex.put(members.get(i), i);
        }
        this.aggregator = new PsaAggregator(epoch.aggregationKey(), context);
        this.activeFrom = epoch.activeFrom().orElseThrow(() -> new IllegalArgumentException("epoch is not active"));
        this.nextToClose = activeFrom;
    }

    public long epoch() {
        return context.epoch();
    }

    public long activeFrom() {
        return activeFrom;
    }

    public OptionalLong activeUntil() {
        return activeUntil == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(activeUntil);
    }

    /** A newer epoch took over from {@code label} on; later labels belong to it. */
    public void endAt(long label) {
        activeUntil = Math.max(activeFrom, label);
        open.tailMap(activeUntil, true).clear();
    }

    /** True if {@code label} is one this epoch is responsible for (regardless of now). */
    public boolean covers(long label) {
        return label >= activeFrom && label < activeUntil;
    }

    /**
     * Checks and reserves the slot of {@code meter} for the ciphertext's label; the caller stores it durably, then
     * calls {@link #tryComplete}. Throws {@link Rejected} (nothing reserved) on any problem.
     */
    public void reserve(String meter, Ciphertext ciphertext, Instant now) {
        Integer index = memberIndex.get(meter);
        if (index == null) {
            throw new Rejected(RejectReason.UNKNOWN_METER, "meter " + meter + " is not a member of " + context.groupId() + "/" + context.epoch());
        }
        long label = ciphertext.label();
        if (!covers(label)) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "label " + label + " of meter " + meter + " is outside epoch " + context.epoch()
                    + " of " + context.groupId() + " (labels " + activeFrom + ".." + (activeUntil == Long.MAX_VALUE ? "" : activeUntil - 1) + ")");
        }
        long nowLabel = TimeSteps.label(now, stepSeconds);
        if (label > nowLabel + 1) {
            throw new Rejected(RejectReason.TOO_NEW, "label " + label + " of meter " + meter + " is ahead of now (" + nowLabel + ")");
        }
        if (label < oldestAccepted(now)) {
            throw new Rejected(RejectReason.TOO_OLD, "label " + label + " of meter " + meter + " is before the late window");
        }
        if (completed.contains(label)) {
            throw new Rejected(RejectReason.DUPLICATE, "label " + label + " of " + context.groupId() + " is already complete");
        }
        Step step = open.computeIfAbsent(label, l -> new Step(members.size()));
        if (step.slots[index] != null) {
            throw new Rejected(RejectReason.DUPLICATE, "meter " + meter + " already reported label " + label);
        }
        step.slots[index] = ciphertext;
        step.count++;
    }

    /** Undoes a {@link #reserve} whose ciphertext could not be stored. */
    public void release(String meter, long label) {
        Step step = open.get(label);
        Integer index = memberIndex.get(meter);
        if (step != null && index != null && step.slots[index] != null) {
            step.slots[index] = null;
            step.count--;
        }
    }

    /** Aggregates the label if every member has reported. */
    public Optional<StepResult> tryComplete(long label, Instant now) {
        Step step = open.get(label);
        if (step == null || step.count < members.size()) {
            return Optional.empty();
        }
        long sum = aggregator.aggregate(label, Arrays.asList(step.slots));
        open.remove(label);
        completed.add(label);
        return Optional.of(new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                ResultStatus.COMPLETE, OptionalLong.of(sum), List.of(), members.size(), now));
    }

    /**
     * Records every step whose deadline has passed and that is not complete as INCOMPLETE (once), and forgets steps
     * that left the late window. Returns the new INCOMPLETE results.
     */
    public List<StepResult> closeExpired(Instant now) {
        List<StepResult> results = new ArrayList<>();
        long oldest = oldestAccepted(now);
        nextToClose = Math.max(nextToClose, oldest);
        while (nextToClose < activeUntil && deadline(nextToClose).compareTo(now) <= 0) {
            long label = nextToClose++;
            if (completed.contains(label)) {
                continue;
            }
            Step step = open.computeIfAbsent(label, l -> new Step(members.size()));
            if (!step.incompleteRecorded) {
                step.incompleteRecorded = true;
                results.add(incomplete(label, step, now));
            }
        }
        open.headMap(oldest).clear();
        completed.removeIf(label -> label < oldest);
        return results;
    }

    /** True once nothing of this (ended) epoch can be accepted any more. */
    public boolean finished(Instant now) {
        return activeUntil != Long.MAX_VALUE && oldestAccepted(now) >= activeUntil;
    }

    /** First label still accepted: steps that ended more than the late window ago are closed for good. */
    public long oldestAccepted(Instant now) {
        return TimeSteps.label(now.minusSeconds(lateWindowSeconds), stepSeconds);
    }

    private Instant deadline(long label) {
        return TimeSteps.start(label + 1, stepSeconds).plusSeconds(deadlineSeconds);
    }

    private StepResult incomplete(long label, Step step, Instant now) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < step.slots.length; i++) {
            if (step.slots[i] == null) {
                missing.add(members.get(i));
            }
        }
        return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                ResultStatus.INCOMPLETE, OptionalLong.empty(), missing, step.count, now);
    }

    /**
     * Rebuilds state after a restart: stored results mark labels complete or already recorded incomplete, stored
     * pending ciphertexts refill their slots. Returns the labels that turned out complete (to aggregate now).
     */
    public List<Long> restore(List<StepResult> recorded, List<PendingCiphertext> pending, Instant now) {
        for (StepResult result : recorded) {
            if (result.status() == ResultStatus.COMPLETE) {
                completed.add(result.label());
            } else {
                open.computeIfAbsent(result.label(), l -> new Step(members.size())).incompleteRecorded = true;
            }
        }
        List<Long> touched = new ArrayList<>();
        for (PendingCiphertext ct : pending) {
            Integer index = memberIndex.get(ct.meter());
            if (index == null || !covers(ct.label()) || completed.contains(ct.label())) {
                continue;
            }
            Step step = open.computeIfAbsent(ct.label(), l -> new Step(members.size()));
            if (step.slots[index] == null) {
                step.slots[index] = ct.ciphertext();
                step.count++;
                touched.add(ct.label());
            }
        }
        return touched.stream().distinct().toList();
    }

    /** Ciphertexts held in memory for open steps (a gauge). */
    public int pendingCount() {
        int n = 0;
        for (Iterator<Step> it = open.values().iterator(); it.hasNext(); ) {
            n += it.next().count;
        }
        return n;
    }

    public List<String> members() {
        return members;
    }
}
