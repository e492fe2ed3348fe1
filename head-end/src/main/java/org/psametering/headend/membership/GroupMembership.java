package org.psametering.headend.membership;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership of one group: the configured members (who may be a member) and the active ones (the subset the
 * head-end's newest epoch holds). Drops members absent too long, takes back dropped ones heard again, subject to
 * {@link MembershipPolicy}. Every change is written to the {@link MembershipJournal} first, then applied in memory,
 * then (the caller) a new epoch is started with {@link #effective()}; the journal alone rebuilds the state at a
 * restart, so a crash between the two ends in the same epoch the restart starts.
 *
 * <p>The head-end's core thread owns it and is its only writer; {@link #snapshot()} may be read from any thread. The
 * members' views are built when a snapshot is read after a change, not at every change: a stored result costs the core
 * thread the counting of who reported, never a view per member (with 10 000 members that was most of its cost), and a
 * snapshot read shows the same as one built after each change would.
 */
public final class GroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);
    /** Events kept in memory for the HTTP API. */
    static final int SHOWN_EVENTS = 1000;

    private final String group;
    private final MembershipJournal journal;
    private final AbsenceTracker absence = new AbsenceTracker();
    private GroupSettings configured;
    /** Dropped members and since when (the journal's last DROPPED event). */
    private final Map<String, Instant> dropped = new TreeMap<>();
    /** {@link #effective()}, kept: the core asks for it on every tick, and building it re-validates every member id. */
    private GroupSettings effective;
    /** {@code configured.members()} as a set, kept like {@link #effective}; null after a configuration change. */
    private Set<String> configuredMembers;
    /**
     * The last {@link #due} found nothing to change and nothing waiting for the re-key interval, and no input of the
     * plan (results, refusals, configuration) changed since: the next tick need not plan again over every member.
     */
    private boolean settled;
    /** Dropped members heard again, and when first. */
    private final Map<String, Instant> heardAgain = new TreeMap<>();
    /** The newest events (the whole log stays in the journal). */
    private final ArrayDeque<MembershipEvent> log = new ArrayDeque<>();
    private long nextSeq;
    private Optional<Instant> lastRekey = Optional.empty();
    private List<String> keptByFloor = List.of();
    /**
     * Guards what {@link #snapshot()} reads on other threads (configured, dropped, heardAgain, absence, the log,
     * lastRekey, keptByFloor, snapshot): the core thread changes it under this lock, and reads it without.
     */
    private final Object lock = new Object();
    /** The snapshot of the current state; null after a change until the next read builds it. */
    private Snapshot snapshot;
    private long viewsBuilt;
    private long plannedOver;

    /** What the HTTP API shows: each configured member's state, and the log. */
    public record Snapshot(String group, List<MemberView> members, List<MembershipEvent> log, Optional<Instant> nextRekeyNotBefore) {
    }

    /** Rebuilds the state from the journal. */
    public GroupMembership(GroupSettings configured, MembershipJournal journal) {
        this.group = configured.id();
        this.configured = configured;
        this.journal = journal;
        for (MembershipEvent event : journal.load(group)) {
            remember(event);
            switch (event.change()) {
                case DROPPED -> dropped.put(event.meter(), event.at());
                case READMITTED, ADDED, REMOVED -> dropped.remove(event.meter());
            }
            lastRekey = Optional.of(event.at());
        }
        // a member no longer configured is no longer dropped either (removed while the head-end was down)
        dropped.keySet().retainAll(configured.members());
        changed();
    }

    /** The configured settings with the active members: what the group's newest epoch must hold. */
    public GroupSettings effective() {
        if (effective == null) {
            effective = buildEffective();
        }
        return effective;
    }

    /** A configured member not dropped: one the newest epoch holds. */
    private boolean isActive(String meter) {
        return !dropped.containsKey(meter) && configuredMembers().contains(meter);
    }

    private Set<String> configuredMembers() {
        if (configuredMembers == null) {
            configuredMembers = new HashSet<>(configured.members());
        }
        return configuredMembers;
    }

    private GroupSettings buildEffective() {
        List<String> active = configured.members().stream().filter(m -> !dropped.containsKey(m)).toList();
        if (active.isEmpty()) {
            // cannot happen through the policy (minMembers >= 2); kept as a guard: never configure an empty group
            return configured;
        }
        return configured.withMembers(active);
    }

    /**
     * A changed configuration (reload, {@code updateGroup}): members added or removed are logged (journal first) and
     * take effect at once, not rate-limited: the operator asked for them. Returns the new effective settings.
     */
    public GroupSettings configure(GroupSettings newSettings, long nextEpoch, Instant now) {
        Set<String> before = new TreeSet<>(configured.members());
        Set<String> after = new TreeSet<>(newSettings.members());
        List<MembershipEvent> events = new ArrayList<>();
        for (String meter : after) {
            if (!before.contains(meter)) {
                events.add(event(now, meter, MembershipEvent.Change.ADDED, nextEpoch, "added to the configured members"));
            }
        }
        for (String meter : before) {
            if (!after.contains(meter)) {
                events.add(event(now, meter, MembershipEvent.Change.REMOVED, nextEpoch, "removed from the configured members"));
            }
        }
        // a member list change re-keys: it counts for the rate limit of the automatic changes that follow
        List<MembershipEvent> journaled = journal(events);
        synchronized (lock) {
            apply(journaled, events.isEmpty() ? null : now);
            configured = newSettings;
            configuredMembers = null;
            dropped.keySet().retainAll(after);
            heardAgain.keySet().retainAll(dropped.keySet());
            changed();
        }
        effective = null;
        return effective();
    }

    /** A stored result of one of the group's epochs whose members were {@code epochMembers}. */
    public void onResult(StepResult result, Collection<String> epochMembers) {
        if (result.reported() == 0) {
            // nobody reported: the head-end, the broker or the network was out, which says nothing about any one meter
            return;
        }
        Set<String> missing = new HashSet<>(result.missing());
        List<String> reporting = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String meter : epochMembers) {
            if (dropped.containsKey(meter)) {
                continue;
            }
            (missing.contains(meter) ? absent : reporting).add(meter);
        }
        synchronized (lock) {
            absence.reported(reporting, result.label());
            absence.missing(absent, result.label());
            changed();
        }
    }

    /**
     * A message of {@code meter} was refused because the meter is not in the epoch it used (UNKNOWN_METER) or that
     * epoch does not take it (WRONG_EPOCH): if the meter is a dropped member, it is alive again.
     */
    public void onRefused(String meter, Instant now) {
        if (dropped.containsKey(meter) && !heardAgain.containsKey(meter)) {
            synchronized (lock) {
                heardAgain.put(meter, now);
                changed();
            }
            LOG.info("group {}: dropped member {} is publishing again; re-admission with the next re-key", group, meter);
        }
    }

    /**
     * The policy's changes due now, journaled; returns the new effective settings if the group must re-key
     * (the caller starts the epoch {@code nextEpoch}). {@code holdingUpKeySetup}: the members a stalled key setup of
     * the newest epoch waits for (a re-admitted meter that does not answer, a meter dead since the first epoch):
     * dropped like long-absent ones, or the group would wait in that setup for ever.
     */
    public Optional<GroupSettings> due(long nextEpoch, List<String> holdingUpKeySetup, Instant now) {
        if (settled && holdingUpKeySetup.isEmpty()) {
            return Optional.empty();
        }
        // only absent and stalled members can be dropped: the plan looks at those, not at every member
        Set<String> stalled = new HashSet<>();
        for (String meter : holdingUpKeySetup) {
            if (isActive(meter)) {
                stalled.add(meter);
            }
        }
        List<String> absentActive = new ArrayList<>();
        for (String meter : absence.absent()) {
            if (isActive(meter)) {
                absentActive.add(meter);
            }
        }
        plannedOver += stalled.size() + absentActive.size();
        MembershipPolicy.Plan plan = MembershipPolicy.plan(configured, effective().members().size(), absentActive, heardAgain.keySet(),
                stalled, absence::misses, lastRekey, now);
        if (!plan.keptByFloor().equals(keptByFloor)) {
            if (!plan.keptByFloor().isEmpty()) {
                LOG.warn("group {}: {} absent for {}+ steps but kept: dropping would leave fewer than minMembers={} active",
                        group, plan.keptByFloor(), configured.dropAfterMissedSteps(), configured.minMembers());
            }
            synchronized (lock) {
                keptByFloor = plan.keptByFloor();
                changed();
            }
        }
        if (!plan.changes()) {
            // nothing else the views show changed (the next re-key time follows from lastRekey)
            settled = !plan.waiting() && stalled.isEmpty();
            return Optional.empty();
        }
        List<MembershipEvent> events = new ArrayList<>();
        for (String meter : plan.drop()) {
            events.add(event(now, meter, MembershipEvent.Change.DROPPED, nextEpoch, stalled.contains(meter)
                    ? "key setup of epoch " + (nextEpoch - 1) + " waited for it longer than keySetupWarnSeconds=" + configured.keySetupWarnSeconds()
                    : "missing from " + absence.misses(meter) + " consecutive step results (dropAfterMissedSteps="
                            + configured.dropAfterMissedSteps() + ")"));
        }
        for (String meter : plan.readmit()) {
            events.add(event(now, meter, MembershipEvent.Change.READMITTED, nextEpoch,
                    "published again since " + heardAgain.get(meter) + " while dropped"));
        }
        List<MembershipEvent> journaled = journal(events);
        synchronized (lock) {
            apply(journaled, now);
            for (String meter : plan.drop()) {
                dropped.put(meter, now);
                absence.reset(meter);
            }
            for (String meter : plan.readmit()) {
                dropped.remove(meter);
                heardAgain.remove(meter);
                absence.reset(meter);
            }
            changed();
        }
        effective = null;
        return Optional.of(effective());
    }

    private MembershipEvent event(Instant at, String meter, MembershipEvent.Change change, long epoch, String reason) {
        return new MembershipEvent(group, -1, at, meter, change, epoch, reason);
    }

    /**
     * Numbers the events and writes them to the journal: first, and outside the lock (a slow database must not hold
     * up the readers of the snapshot). Returns them numbered, for {@link #apply}.
     */
    private List<MembershipEvent> journal(List<MembershipEvent> events) {
        List<MembershipEvent> numbered = new ArrayList<>();
        for (MembershipEvent e : events) {
            numbered.add(new MembershipEvent(e.group(), nextSeq + numbered.size(), e.at(), e.meter(), e.change(), e.epoch(), e.reason()));
        }
        if (!numbered.isEmpty()) {
            journal.append(numbered);
        }
        return numbered;
    }

    /** Journaled events into memory (under the lock), with their INFO line. {@code rekeyAt} non-null when they start an epoch. */
    private void apply(List<MembershipEvent> numbered, Instant rekeyAt) {
        numbered.forEach(this::remember);
        for (MembershipEvent e : numbered) {
            LOG.info("group {}: member {} {} for epoch {}: {}", group, e.meter(), e.change(), e.epoch(), e.reason());
        }
        if (rekeyAt != null) {
            lastRekey = Optional.of(rekeyAt);
        }
    }

    private void remember(MembershipEvent event) {
        log.addLast(event);
        if (log.size() > SHOWN_EVENTS) {
            log.removeFirst();
        }
        nextSeq = Math.max(nextSeq, event.seq() + 1);
    }

    /** Every change of the plan's inputs or of what the views show comes through here (under the lock once published). */
    private void changed() {
        settled = false;
        snapshot = null;
    }

    /** Under the lock. */
    private Snapshot build() {
        Set<String> floor = new HashSet<>(keptByFloor);
        Map<String, MemberView> views = new LinkedHashMap<>();
        for (String meter : configured.members()) {
            Instant since = dropped.get(meter);
            Instant heard = heardAgain.get(meter);
            MemberState state = since == null ? MemberState.ACTIVE : heard == null ? MemberState.DROPPED : MemberState.PENDING_READMISSION;
            views.put(meter, new MemberView(meter, state, since == null ? absence.misses(meter) : 0, absence.lastReported(meter),
                    Optional.ofNullable(since), Optional.ofNullable(heard), floor.contains(meter)));
            viewsBuilt++;
        }
        Optional<Instant> next = lastRekey.map(t -> t.plusSeconds(configured.minRekeyIntervalSeconds()));
        return new Snapshot(group, List.copyOf(views.values()), List.copyOf(log), next);
    }

    /** Readable from any thread: built here if the state changed since the last read, else the same snapshot again. */
    public Snapshot snapshot() {
        synchronized (lock) {
            if (snapshot == null) {
                snapshot = build();
            }
            return snapshot;
        }
    }

    /** Member views built since the start (tests: the views are built per read after a change, not per result). */
    long viewsBuilt() {
        synchronized (lock) {
            return viewsBuilt;
        }
    }

    /** Members the policy has looked at since the start (tests: a tick plans over the absent members, not all). */
    long plannedOver() {
        return plannedOver;
    }

    public String group() {
        return group;
    }
}
