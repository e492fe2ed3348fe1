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
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Collects the ciphertexts of one active (group, epoch) per label and turns them into results: COMPLETE as soon as
 * every member reported, INCOMPLETE (with the missing meters) once the step's deadline passed, and COMPLETE later
 * if the missing ones still arrive within the late window.
 *
 * <p>It proposes results and never assumes they were stored: the caller stores a result, then calls
 * {@link #recorded}; until then the step stays open (offered again at the next deadline scan) and its stored
 * ciphertexts are not purged ({@link #purgeBefore}). Likewise a ciphertext is reserved, then {@link #markStored} or
 * {@link #release}d.
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
    /**
     * Labels whose recovery was requested, with the meters it declared missing: no ciphertext for them is accepted any
     * more (purged with the window). A late one of a missing meter is refused AFTER_RECOVERY; a copy from a meter that
     * reported is a DUPLICATE (its ciphertext is already part of the step).
     */
    private final Map<Long, Set<String>> recoveryRequested = new HashMap<>();
    /** Present for a recoverable epoch: steps with missing meters are recovered instead of staying INCOMPLETE. */
    private final Optional<EpochRecovery> recovery;
    /** The first label whose final or INCOMPLETE result may still be missing: nothing before it is forgotten or purged. */
    private long nextToClose;

    /**
     * The ciphertexts of one label so far. A slot is reserved first and {@code stored} once its batch is durable;
     * {@code incompleteRecorded} once an INCOMPLETE result for it is stored ({@code reportedWhenRecorded} of them).
     */
    private static final class Step {
        final Ciphertext[] slots;
        final boolean[] stored;
        int count;
        boolean incompleteRecorded;
        /** Its RECOVERING result is stored: it waits for the answers, and takes no more ciphertexts. */
        boolean recovering;
        int reportedWhenRecorded;

        Step(int size) {
            slots = new Ciphertext[size];
            stored = new boolean[size];
        }
    }

    public EpochCollector(EpochKeySetup epoch, long deadlineSeconds, long lateWindowSeconds) {
        this(epoch, deadlineSeconds, lateWindowSeconds, Optional.empty());
    }

    /** With {@code recovery} (see {@link EpochRecovery#of}) steps with missing meters are recovered. */
    public EpochCollector(EpochKeySetup epoch, long deadlineSeconds, long lateWindowSeconds, Optional<EpochRecovery> recovery) {
        this.recovery = recovery;
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
     * calls {@link #markStored} (or {@link #release} if storing failed). Throws {@link Rejected} (nothing reserved) on
     * any problem, {@link AwaitingStore} if a copy is reserved but not stored yet.
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
        Set<String> recoveredWithout = recoveryRequested.get(label);
        if (recoveredWithout != null && !recoveredWithout.contains(meter)) {
            throw new Rejected(RejectReason.DUPLICATE, "meter " + meter + " already reported label " + label
                    + ", which is being or was recovered");
        }
        if (recoveredWithout != null) {
            throw new Rejected(RejectReason.AFTER_RECOVERY, "label " + label + " of " + context.groupId() + "/" + context.epoch()
                    + " is being or was recovered without meter " + meter + "; its late ciphertext is refused",
                    new RefusedCiphertext(context.groupId(), context.epoch(), meter, label, RejectReason.AFTER_RECOVERY));
        }
        if (completed.contains(label)) {
            throw new Rejected(RejectReason.DUPLICATE, "label " + label + " of " + context.groupId() + " is already complete");
        }
        Step step = open.computeIfAbsent(label, l -> new Step(members.size()));
        if (step.slots[index] != null) {
            if (!step.stored[index]) {
                throw new AwaitingStore("meter " + meter + " label " + label + ": a copy is being stored");
            }
            throw new Rejected(RejectReason.DUPLICATE, "meter " + meter + " already reported label " + label);
        }
        step.slots[index] = ciphertext;
        step.count++;
    }

    /** The reserved ciphertext is durable: a later copy of it is a DUPLICATE that may be acknowledged. */
    public void markStored(String meter, long label) {
        Step step = open.get(label);
        Integer index = memberIndex.get(meter);
        if (step != null && index != null && step.slots[index] != null) {
            step.stored[index] = true;
        }
    }

    /** Undoes a {@link #reserve} whose ciphertext could not be stored. */
    public void release(String meter, long label) {
        Step step = open.get(label);
        Integer index = memberIndex.get(meter);
        if (step != null && index != null && step.slots[index] != null && !step.stored[index]) {
            step.slots[index] = null;
            step.count--;
        }
    }

    /**
     * The result a newly stored ciphertext of {@code label} calls for: COMPLETE (or AGGREGATION_FAILED) if every member
     * reported, an INCOMPLETE with fewer missing meters if one was recorded already, else none. Changes nothing: the
     * caller stores the result, then tells {@link #recorded}.
     */
    public Optional<StepResult> resultAfterStore(long label, Instant now) {
        Step step = open.get(label);
        if (step == null || completed.contains(label) || step.recovering) {
            return Optional.empty();
        }
        if (step.count == members.size()) {
            return Optional.of(aggregate(label, step, now));
        }
        if (step.incompleteRecorded && step.count > step.reportedWhenRecorded) {
            return Optional.of(incomplete(label, step, now));
        }
        return Optional.empty();
    }

    private StepResult aggregate(long label, Step step, Instant now) {
        try {
            long sum = aggregator.aggregate(label, Arrays.asList(step.slots));
            return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                    ResultStatus.COMPLETE, OptionalLong.of(sum), List.of(), members.size(), now);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // every input was authenticated, so a member MAC'd a ciphertext that is no share: never publish a wrong sum
            return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                    ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of(), members.size(), now,
                    Optional.of(ResultReason.AGGREGATION_FAILED));
        }
    }

    /** A result of this epoch is stored: only now does memory change (a failed store leaves the step to retry). */
    public void recorded(StepResult result) {
        recorded(result, result.recordedAt());
    }

    private void recorded(StepResult result, Instant now) {
        long label = result.label();
        if (result.status() == ResultStatus.RECOVERING && recovery.isPresent()) {
            Step step = open.computeIfAbsent(label, l -> new Step(members.size()));
            step.recovering = true;
            recoveryRequested.put(label, Set.copyOf(result.missing()));
            recovery.get().started(result, now);
        } else if (result.isFinal()) {
            if (endsARecovery(result)) {
                // also when restored after a restart: a late ciphertext stays refused as AFTER_RECOVERY (and recorded)
                recoveryRequested.put(label, Set.copyOf(result.missing()));
            }
            completed.add(label);
            open.remove(label);
            recovery.ifPresent(r -> r.finish(label));
        } else {
            Step step = open.computeIfAbsent(label, l -> new Step(members.size()));
            step.incompleteRecorded = true;
            step.reportedWhenRecorded = result.reported();
        }
        while (nextToClose < activeUntil && completed.contains(nextToClose)) {
            nextToClose++;
        }
    }

    /** RECOVERED, or INCOMPLETE because its recovery failed: a recovery of the label was requested. */
    private static boolean endsARecovery(StepResult result) {
        return result.status() == ResultStatus.RECOVERED || result.reason()
                .filter(r -> r == ResultReason.RECOVERY_UNANSWERED || r == ResultReason.RECOVERY_FAILED).isPresent();
    }

    /**
     * Results due because a step's deadline passed: INCOMPLETE (once) for a step still missing members, and, for a
     * step whose complete result could not be stored yet, that result again. Changes nothing but the scan position:
     * the caller stores them, then tells {@link #recorded}.
     */
    public List<StepResult> closeExpired(Instant now) {
        List<StepResult> results = new ArrayList<>();
        // an INCOMPLETE step can still change while it is in the late window: only pass it once it left the window
        long oldest = oldestAccepted(now);
        while (nextToClose < activeUntil && deadline(nextToClose).compareTo(now) <= 0
                && (completed.contains(nextToClose) || (settled(nextToClose) && nextToClose < oldest))) {
            nextToClose++;
        }
        for (long label = nextToClose; label < activeUntil && deadline(label).compareTo(now) <= 0; label++) {
            if (settled(label)) {
                continue;
            }
            Step step = open.get(label);
            if (step != null && step.recovering) {
                continue; // waits for its answers (or its window, below)
            }
            if (step != null && step.count == members.size()) {
                results.add(aggregate(label, step, now));
            } else if (step != null && recovery.isPresent() && recovery.get().eligible(step.count)) {
                results.add(recovery.get().recovering(label, missingOf(step), step.count, now));
            } else {
                // never recorded, or recorded INCOMPLETE with fewer ciphertexts than are stored now
                results.add(incomplete(label, step == null ? new Step(members.size()) : step, now));
            }
        }
        recovery.ifPresent(r -> results.addAll(r.due(now, this::ciphertextsOf)));
        long forgetBefore = purgeBefore(now);
        open.headMap(forgetBefore).clear();
        completed.removeIf(label -> label < forgetBefore);
        recoveryRequested.keySet().removeIf(label -> label < forgetBefore);
        return results;
    }

    /** The step's latest due result is stored: final, or INCOMPLETE with every ciphertext stored since counted. */
    private boolean settled(long label) {
        Step step = open.get(label);
        return completed.contains(label) || (step != null && !step.recovering && step.incompleteRecorded
                && step.count == step.reportedWhenRecorded);
    }

    /**
     * Stored ciphertexts before this label can go: they left the late window, and every step before it has its
     * result stored (a step whose result could not be stored keeps its inputs until it has).
     */
    public long purgeBefore(Instant now) {
        return Math.min(oldestAccepted(now), Math.max(nextToClose, activeFrom));
    }

    /** True once nothing of this (ended) epoch can be accepted any more. */
    public boolean finished(Instant now) {
        if (activeUntil == Long.MAX_VALUE || oldestAccepted(now) < activeUntil) {
            return false;
        }
        for (long label = nextToClose; label < activeUntil; label++) {
            if (!settled(label)) {
                return false;
            }
        }
        return true;
    }

    /** First label still accepted: steps that ended more than the late window ago are closed for good. */
    public long oldestAccepted(Instant now) {
        return TimeSteps.label(now.minusSeconds(lateWindowSeconds), stepSeconds);
    }

    private Instant deadline(long label) {
        return TimeSteps.start(label + 1, stepSeconds).plusSeconds(deadlineSeconds);
    }

    private StepResult incomplete(long label, Step step, Instant now) {
        return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                ResultStatus.INCOMPLETE, OptionalLong.empty(), missingOf(step), step.count, now);
    }

    private List<String> missingOf(Step step) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < step.slots.length; i++) {
            if (step.slots[i] == null) {
                missing.add(members.get(i));
            }
        }
        return missing;
    }

    /**
     * Checks a recovery answer from {@code meter} without changing anything (the caller stores it, forces it to disk,
     * then {@link #keepRecoveryAnswer keeps} it). Throws {@link Rejected}.
     */
    public EpochRecovery.CheckedAnswer checkRecoveryAnswer(String meter, byte[] payload) {
        if (recovery.isEmpty()) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + meter + " for " + context.groupId()
                    + "/" + context.epoch() + ", whose parameter set " + context.params().name() + " has no recovery");
        }
        return recovery.get().check(meter, payload);
    }

    /** Keeps a checked answer that is durable now: the final result once every reporting meter answered. */
    public Optional<StepResult> keepRecoveryAnswer(EpochRecovery.CheckedAnswer answer, Instant now) {
        return recovery.orElseThrow().keep(answer, this::ciphertextsOf, now);
    }

    /** Answers stored before a restart (after {@link #restore}, which reopened their rounds). */
    public void restoreAnswer(String meter, byte[] payload) {
        recovery.ifPresent(r -> r.restoreAnswer(meter, payload));
    }

    /** The stored ciphertexts of a label, by meter. */
    private Map<String, Ciphertext> ciphertextsOf(long label) {
        Step step = open.get(label);
        Map<String, Ciphertext> cts = new HashMap<>();
        if (step != null) {
            for (int i = 0; i < step.slots.length; i++) {
                if (step.slots[i] != null) {
                    cts.put(members.get(i), step.slots[i]);
                }
            }
        }
        return cts;
    }

    /** Requests still waiting for answers (published again after a restart or reconnect). */
    public List<RecoveryRequestMessage> openRecoveryRequests() {
        return recovery.map(EpochRecovery::openRequests).orElse(List.of());
    }

    /**
     * Rebuilds state after a restart from the results recorded from {@code fromLabel} on and the stored pending
     * ciphertexts (all stored, so later copies are duplicates). Returns the labels that got ciphertexts (the caller
     * asks {@link #resultAfterStore} for each). A recovery that was under way gets a fresh window from {@code now}.
     */
    public List<Long> restore(List<StepResult> recorded, List<PendingCiphertext> pending, long fromLabel, Instant now) {
        nextToClose = Math.max(activeFrom, fromLabel);
        for (StepResult result : recorded) {
            recorded(result, now);
        }
        List<Long> touched = new ArrayList<>();
        for (PendingCiphertext ct : pending) {
            Integer index = memberIndex.get(ct.meter());
            if (index == null || !covers(ct.label()) || completed.contains(ct.label()) || ct.label() < fromLabel) {
                continue;
            }
            Step step = open.computeIfAbsent(ct.label(), l -> new Step(members.size()));
            if (step.slots[index] == null) {
                step.slots[index] = ct.ciphertext();
                step.stored[index] = true;
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
