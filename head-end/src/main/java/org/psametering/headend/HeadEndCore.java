package org.psametering.headend;

import java.security.SecureRandom;
import org.psametering.protocol.trust.IdentityVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.AwaitingStore;
import org.psametering.headend.core.CannotJudge;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.InMemoryJournal;
import org.psametering.headend.membership.MembershipJournal;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.CounterStore;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head-end's protocol logic, free of any transport: routes inbound messages to their group, stores accepted
 * ciphertexts in one batch before acknowledging them, aggregates complete steps, records and publishes results,
 * and runs deadlines on {@link #tick()}.
 *
 * <p>Not thread-safe: one thread calls {@link #process}, {@link #tick} and {@link #reconfigure} ({@link CoreLoop} in
 * the application, the test thread in tests). {@link #statuses()} may be read from any thread.
 */
public final class HeadEndCore {
    private static final Logger LOG = LoggerFactory.getLogger(HeadEndCore.class);

    private final Clock clock;
    private final EpochStore epochStore;
    private final CiphertextStore ciphertextStore;
    private final ResultStore resultStore;
    private final Publisher publisher;
    private final SecureRandom random;
    private final CounterStore counterStore;
    private final StorageWatch storage;
    private final ResultRecorder recorder;
    private final RejectionCounters rejections = new RejectionCounters();
    private final IngestCounters counters = new IngestCounters();
    private final RateLimitedLog rejectionLog = new RateLimitedLog(LOG, 10_000_000_000L);
    private final RateLimitedLog heldLog = new RateLimitedLog(LOG, 10_000_000_000L);
    private static final int MAX_HELD = 1000;
    private int held;
    private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, GroupCoordinator> groups = new LinkedHashMap<>();
    private volatile List<GroupStatus> statuses = List.of();
    private final Memberships memberships;
    private final IdentityVerifier members;
    private final BlindedKeyCleanup keyCleanup;

    public HeadEndCore(Clock clock, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                       Publisher publisher, SecureRandom random, IdentityVerifier members) {
        this(clock, epochStore, ciphertextStore, resultStore, null, publisher, random, members);
    }

    /**
     * With {@code counterStore} (null: rejection counters count since start only) the rejection counters continue
     * from their stored totals and are saved with each batch that rejected something.
     */
    public HeadEndCore(Clock clock, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                       CounterStore counterStore, Publisher publisher, SecureRandom random, IdentityVerifier members) {
        this(clock, epochStore, ciphertextStore, resultStore, counterStore, new InMemoryJournal(), publisher, random, members);
    }

    /**
     * With {@code membershipJournal} the automatic drops and re-admissions of members ({@link Memberships}) survive a
     * restart.
     */
    public HeadEndCore(Clock clock, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                       CounterStore counterStore, MembershipJournal membershipJournal, Publisher publisher, SecureRandom random,
                       IdentityVerifier members) {
        this(clock, epochStore, ciphertextStore, resultStore, counterStore, membershipJournal, publisher, random, members, Runnable::run,
                BlindedKeyCleanup.DEFAULT_CHUNK);
    }

    /**
     * With {@code keyDrops} running the drops of blinded keys no longer needed after an activation, {@code keyDropChunk}
     * members per transaction ({@link BlindedKeyCleanup}): the application passes a thread of its own, so the core
     * thread never waits for them; the other constructors run them on the calling thread, right after the activation.
     */
    public HeadEndCore(Clock clock, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                       CounterStore counterStore, MembershipJournal membershipJournal, Publisher publisher, SecureRandom random,
                       IdentityVerifier members, Executor keyDrops, int keyDropChunk) {
        this.members = java.util.Objects.requireNonNull(members, "members: the verifier of meter certificates (always on)");
        this.memberships = new Memberships(membershipJournal);
        // absence is counted from stored results (after the store, on this thread), whatever their status
        listeners.add(result -> {
            GroupCoordinator group = groups.get(result.group());
            if (group != null) {
                memberships.onResult(result, group.members(result.epoch()));
            }
        });
        this.counterStore = counterStore;
        if (counterStore != null) {
            rejections.restore(counterStore.load());
        }
        this.clock = clock;
        this.storage = new StorageWatch(clock);
        this.keyCleanup = new BlindedKeyCleanup(epochStore, keyDrops, keyDropChunk, storage);
        this.recorder = new ResultRecorder(resultStore, publisher, counters, listeners, storage);
        this.epochStore = epochStore;
        this.ciphertextStore = ciphertextStore;
        this.resultStore = resultStore;
        this.publisher = publisher;
        this.random = random;
    }

    /**
     * Opens a group (restoring its stored state) or applies changed settings to an open one. {@code settings} lists
     * the configured members; the group's epochs hold those of them not dropped for absence ({@link Memberships}).
     */
    public void reconfigure(GroupSettings settings) {
        GroupCoordinator existing = groups.get(settings.id());
        Instant now = clock.instant();
        if (existing != null) {
            existing.reconfigure(memberships.configure(settings, existing.status().epoch() + 1, now));
        } else {
            GroupSettings effective = memberships.open(settings);
            GroupCoordinator coordinator = new GroupCoordinator(effective, epochStore, ciphertextStore, resultStore, publisher, random, counters,
                    members, keyCleanup);
            groups.put(settings.id(), coordinator);
            recorder.outboxMayHoldResults(); // another head-end may have stored results of it without publishing them
            record(coordinator.open(now));
            replayAbsences(coordinator, settings, now);
        }
        refreshStatuses();
    }

    /**
     * Forgets a group another head-end now owns: its collectors, key setups and membership leave memory; its stored
     * state stays for the new owner. Messages of it that still arrive are refused as of an unknown group.
     */
    public void close(String group) {
        if (groups.remove(group) != null) {
            memberships.close(group);
            refreshStatuses();
        }
    }

    /** Counts absences again from the stored results of the last {@code dropAfterMissedSteps + 1} steps. */
    private void replayAbsences(GroupCoordinator group, GroupSettings settings, Instant now) {
        long window = (long) (settings.dropAfterMissedSteps() + 2) * settings.stepSeconds();
        for (StepResult result : resultStore.between(settings.id(), now.minusSeconds(window), now.plusSeconds(settings.stepSeconds()))) {
            memberships.onResult(result, group.members(result.epoch()));
        }
    }

    /** Applies the membership re-keys due now (drops for absence, re-admissions), journaled before each epoch starts. */
    private void applyMembership(Instant now) {
        for (GroupCoordinator group : groups.values()) {
            try {
                // also when nothing is due: an epoch start that failed after its change was journaled is retried here
                group.reconfigure(memberships.due(group.id(), group.status().epoch() + 1, group.holdingUpKeySetup(), now).orElseGet(() -> memberships.effective(group.id())));
            } catch (StorageException e) {
                // nothing changed in memory: tried again at the next tick
                storage.failed(e);
                LOG.error("group {}: membership change not applied (tried again at the next tick): {}", group.id(), e.getMessage());
            }
        }
    }

    /** Every group's membership: configured members with their state, and the log of changes (any thread). */
    public List<GroupMembership.Snapshot> memberships() {
        return memberships.snapshots();
    }

    /** Publishes every group's current announcement and key set again (after the broker connection was lost). */
    public void republishAll() {
        // a new session: the messages held unacknowledged come again, so they are counted against the bound afresh
        held = 0;
        for (GroupCoordinator group : groups.values()) {
            group.republishCurrent();
        }
    }

    /**
     * Handles a batch of inbound messages. Order for ciphertexts: reserve in memory, store the batch in one
     * transaction, mark stored, acknowledge, then record the results they complete. Whatever fails before the store
     * returns, every reservation is released and nothing of it is acknowledged: the broker redelivers it.
     */
    public void process(List<InboundMessage> batch) {
        Instant now = clock.instant();
        List<PendingCiphertext> accepted = new ArrayList<>();
        List<GroupAck> acksAfterStore = new ArrayList<>();
        Set<String> fencedOut = new HashSet<>();
        RecoveryAnswerBatch answers = new RecoveryAnswerBatch(ciphertextStore.recoveryAnswers(), storage);
        KeySetupAcks acksAfterKeySync = new KeySetupAcks(epochStore, storage);
        RefusedBatch refusals = new RefusedBatch();
        int duplicatesAfterStore = 0;
        boolean stored = false;
        try {
            for (InboundMessage message : batch) {
                try {
                    Topic topic = Topics.parse(message.topic());
                    GroupCoordinator group = groups.get(topic.group());
                    if (group == null) {
                        throw new Rejected(RejectReason.UNKNOWN_GROUP, "no group " + topic.group() + " (topic " + message.topic() + ")");
                    }
                    switch (topic.kind()) {
                        case CIPHERTEXT -> {
                            accepted.add(group.reserve(topic, message.payload(), now));
                            acksAfterStore.add(new GroupAck(topic.group(), message.ack(), false));
                            continue;
                        }
                        case PUBKEY -> {
                            // an empty retained message is an operator clearing an old key, not a key
                            if (message.payload().length > 0) {
                                group.onPublicKey(topic, message.payload(), now);
                                storage.ok();
                            }
                            acksAfterKeySync.add(message.ack());
                            continue;
                        }
                        case BLINDED -> {
                            group.onBlindedKey(topic, message.payload(), now);
                            storage.ok();
                            acksAfterKeySync.add(message.ack());
                            continue;
                        }
                        case RECOVERY_ANSWER -> {
                            // committed now; forced to disk once for the batch, then kept and acknowledged below
                            answers.stage(message, topic, group);
                            continue;
                        }
                        default -> {
                            // announce, keyset, result: our own publications; nothing to do
                        }
                    }
                    message.ack().run();
                } catch (AwaitingStore e) {
                    // a second copy of a ciphertext reserved in this batch: a DUPLICATE only once the first is stored
                    acksAfterStore.add(new GroupAck(Topics.parse(message.topic()).group(), message.ack(), true));
                    duplicatesAfterStore++;
                } catch (CannotJudge e) {
                    hold(message, e);
                } catch (MalformedMessageException e) {
                    reject(RejectReason.MALFORMED, e.getMessage());
                    message.ack().run();
                } catch (Rejected e) {
                    memberships.onRejected(message.topic(), e.reason(), now);
                    if (e.refused().isPresent()) {
                        refusals.add(e, message.ack()); // recorded, counted and acknowledged below
                    } else {
                        reject(e.reason(), e.getMessage());
                        message.ack().run();
                    }
                } catch (GroupFence.FencedOut e) {
                    // another instance owns the group now: left unacknowledged for the new owner's session
                    LOG.warn("{}: {}", LogIds.id(message.topic()), e.getMessage());
                } catch (StorageException e) {
                    // not acknowledged: the broker redelivers it after a reconnect
                    storage.failed(e);
                    LOG.error("{}: {}", LogIds.id(message.topic()), e.getMessage());
                } catch (RuntimeException e) {
                    // a defect must not cost the rest of the batch; this message stays unacknowledged
                    LOG.error("{}: not processed, left unacknowledged: {}", LogIds.id(message.topic()), e.toString(), e);
                }
            }
            acksAfterKeySync.forceThenAcknowledge();
            record(answers.forceThenKeep(now, (topic, e, ack) -> {
                memberships.onRejected(topic, e.reason(), now);
                reject(e.reason(), e.getMessage());
                ack.run();
            }));
            refusals.record(ciphertextStore.refusals(), storage, this::reject, now);
            if (accepted.isEmpty()) {
                if (duplicatesAfterStore > 0) {
                    LOG.error("{} ciphertext copies wait for a copy that is not being stored; left unacknowledged", duplicatesAfterStore);
                }
                saveCounters();
                refreshStatuses();
                return;
            }
            List<PendingCiphertext> toStore = accepted;
            while (true) {
                try {
                    ciphertextStore.insert(toStore);
                    break;
                } catch (GroupFence.FencedOut e) {
                    // another instance owns the group now: its ciphertexts stay unacknowledged, so the broker hands them
                    // to the new owner's session; the other groups of the batch are stored without them
                    if (!fencedOut.add(e.group())) {
                        throw e;
                    }
                    LOG.warn("{}; its ciphertexts of this batch are left unacknowledged for the new owner", e.getMessage());
                    toStore = accepted.stream().filter(p -> !fencedOut.contains(p.group())).toList();
                } catch (StorageException e) {
                    storage.failed(e);
                    LOG.error("{} ciphertexts not stored and not acknowledged: {}", toStore.size(), e.getMessage());
                    refreshStatuses();
                    return;
                }
            }
            storage.ok();
            stored = true;
            for (PendingCiphertext p : accepted) {
                if (fencedOut.contains(p.group())) {
                    groups.get(p.group()).release(p);
                } else {
                    groups.get(p.group()).markStored(p);
                }
            }
            accepted = toStore;
        } finally {
            if (!stored) {
                accepted.forEach(p -> groups.get(p.group()).release(p));
            }
        }
        for (GroupAck ack : acksAfterStore) {
            if (!fencedOut.contains(ack.group())) {
                if (ack.duplicate()) {
                    reject(RejectReason.DUPLICATE, "a second copy of a ciphertext in the same batch");
                }
                ack.ack().run();
            }
        }
        counters.accepted(accepted.size());
        List<StepResult> results = new ArrayList<>();
        Set<StepKey> steps = new LinkedHashSet<>();
        for (PendingCiphertext p : accepted) {
            steps.add(new StepKey(p.group(), p.epoch(), p.label()));
        }
        for (StepKey step : steps) {
            groups.get(step.group()).resultAfterStore(step.epoch(), step.label(), now).ifPresent(results::add);
        }
        record(results);
        saveCounters();
        refreshStatuses();
    }

    private record StepKey(String group, long epoch, long label) {
    }

    /** A ciphertext's acknowledgement, due once its group's part of the batch is stored ({@code duplicate}: a copy). */
    private record GroupAck(String group, Runnable ack, boolean duplicate) {
    }


    /**
     * Leaves a message this instance cannot judge unacknowledged, so the broker keeps it for whoever can. Bounded:
     * each held message occupies one slot of the session's receive maximum until the next reconnect, so past
     * {@link #MAX_HELD} (a flood, not another head-end) they are refused as WRONG_EPOCH instead.
     */
    private void hold(InboundMessage message, CannotJudge e) {
        if (held >= MAX_HELD) {
            reject(RejectReason.WRONG_EPOCH, e.getMessage() + " (more than " + MAX_HELD + " held already)");
            message.ack().run();
            return;
        }
        held++;
        counters.held();
        heldLog.rejected(RejectReason.WRONG_EPOCH, "left unacknowledged: " + e.getMessage());
    }

    /** Deadlines: records INCOMPLETE steps, retires what left the late window, publishes results still unpublished. */
    public void tick() {
        Instant now = clock.instant();
        recorder.publishOutbox();
        List<StepResult> results = new ArrayList<>();
        for (GroupCoordinator group : groups.values()) {
            results.addAll(group.closeExpired(now));
        }
        record(results);
        for (GroupCoordinator group : groups.values()) {
            try {
                group.purgeAndRetire(now);
            } catch (StorageException e) {
                // nothing is lost: the purge is tried again at the next tick
                storage.failed(e);
                LOG.error("group {}: {}", group.id(), e.getMessage());
            }
        }
        keyCleanup.retryFailed();
        applyMembership(now);
        saveCounters();
        refreshStatuses();
    }

    /**
     * Stops the drops of blinded keys after the chunk being dropped (before the database closes); what is left is
     * dropped after the next start.
     */
    public void stopKeyDrops() {
        keyCleanup.close();
    }

    private void record(List<StepResult> results) {
        recorder.record(results, result -> {
            GroupCoordinator group = groups.get(result.group());
            if (group != null) {
                group.recorded(result);
            }
        });
    }

    /** Saves the rejection counts of this batch or tick (a few rows), so /rejections survives a restart. */
    private void saveCounters() {
        if (counterStore == null) {
            return;
        }
        Map<String, Long> deltas = rejections.unsaved();
        if (deltas.isEmpty()) {
            return;
        }
        try {
            counterStore.add(deltas);
            rejections.saved(deltas);
        } catch (StorageException e) {
            // kept in memory and saved with a later batch
            storage.failed(e);
        }
    }

    private void reject(RejectReason reason, String message) {
        rejections.count(reason);
        rejectionLog.rejected(reason, message);
    }

    private void refreshStatuses() {
        List<GroupStatus> snapshot = new ArrayList<>(groups.size());
        groups.values().forEach(g -> snapshot.add(g.status()));
        statuses = List.copyOf(snapshot);
    }

    public void addListener(ResultListener listener) {
        listeners.add(listener);
    }

    public List<GroupStatus> statuses() {
        return statuses;
    }

    public RejectionCounters rejections() {
        return rejections;
    }

    public IngestCounters counters() {
        return counters;
    }

    /** Whether the last database write worked; for /health and the metrics (any thread). */
    public StorageHealth storageHealth() {
        return storage.health();
    }

    public ResultStore results() {
        return resultStore;
    }
}
