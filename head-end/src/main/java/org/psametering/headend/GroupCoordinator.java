package org.psametering.headend;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochCollector;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topic;
import org.psametering.protocol.trust.IdentityVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group on the head-end: ties its epochs' key setups ({@link EpochKeyFlow}) to the collection of their steps
 * ({@link StepCollection}) at restore, activation and retirement. Every transition writes the database first, then
 * changes memory; the caller acknowledges last. Not thread-safe: the core thread owns it.
 */
final class GroupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final String group;
    private final EpochStore epochStore;
    private final CiphertextStore ciphertextStore;
    private final ResultStore resultStore;
    private final RetainedAnnouncer announcer;
    private final EpochKeyFlow keys;
    private final StepCollection steps;
    private final KeySetupWatch watch;
    private final BlindedKeyCleanup cleanup;
    private GroupSettings settings;

    GroupCoordinator(GroupSettings settings, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                     Publisher publisher, SecureRandom random, IngestCounters counters, IdentityVerifier members,
                     BlindedKeyCleanup cleanup) {
        this.group = settings.id();
        this.cleanup = cleanup;
        this.settings = settings;
        this.epochStore = epochStore;
        this.ciphertextStore = ciphertextStore;
        this.resultStore = resultStore;
        this.announcer = new RetainedAnnouncer(group, publisher);
        this.keys = new EpochKeyFlow(group, epochStore, announcer, random, counters, members);
        this.steps = new StepCollection(group, ciphertextStore, publisher);
        this.watch = new KeySetupWatch(group, Duration.ofSeconds(settings.keySetupWarnSeconds()));
    }

    /**
     * Restores stored epochs (keys, pending ciphertexts, recorded results), finishes an activation a crash
     * interrupted, starts a new epoch if the configuration changed, and publishes the retained messages. Returns
     * results that stored ciphertexts call for.
     */
    List<StepResult> open(Instant now) {
        List<StepResult> results = new ArrayList<>();
        for (EpochRecord record : epochStore.load(group)) {
            EpochKeySetup setup = keys.restore(record);
            boolean keysLeft = !record.blindedKeys().isEmpty();
            if (keysLeft && (setup.phase() == EpochPhase.SUPERSEDED || (setup.phase() == EpochPhase.ACTIVE && !keepsBlindedKeys(setup)))) {
                // a crash came between the supersession or activation and the end of the drop of its blinded keys
                dropStored(record);
            }
            if (setup.phase() == EpochPhase.ACTIVE) {
                EpochCollector collector = steps.start(setup, settings);
                record.activeUntil().ifPresent(collector::endAt);
                List<PendingCiphertext> pending = ciphertextStore.load(group, record.epoch());
                // steps whose inputs are still stored may lack their result (a crash came before it was stored)
                long from = pending.stream().mapToLong(PendingCiphertext::label).min().orElse(Long.MAX_VALUE);
                from = Math.min(from, collector.oldestAccepted(now));
                List<Long> touched = collector.restore(resultStore.ofEpoch(group, record.epoch(), from), pending, from, now);
                steps.restoreAnswers(collector);
                if (collector.finished(now)) {
                    steps.forget(record.epoch());
                    setup.releaseBlindedKeys();
                    if (keysLeft && keepsBlindedKeys(setup)) {
                        // retired before the restart (or now): its drop may have been lost with the process
                        dropStored(record);
                    }
                    continue;
                }
                for (long label : touched) {
                    steps.resultAfterStore(collector, label, now).ifPresent(results::add);
                }
            }
        }
        // a crash may have come between storing a supersession and the end of clearing its retained messages
        keys.supersededSinceActive().forEach(superseded -> announcer.clearRetained(superseded, true));
        EpochKeySetup latest = keys.latest();
        if (latest != null && latest.readyToActivate()) {
            // every blinded key was stored but the activation was not (a database written before activation and the
            // last blinded key became one transaction): activate now
            activate(latest, null, now);
        }
        if (latest == null || latest.phase() == EpochPhase.SUPERSEDED || !keys.matches(latest, settings)) {
            keys.startEpoch(latest == null ? 0 : latest.context().epoch() + 1, settings, this::superseded);
        } else {
            announcer.republish(latest);
        }
        steps.republishRequests(); // recoveries a restart interrupted: meters answer the identical request identically
        return results;
    }

    /** Applies a changed configuration: a different member list, parameter set or step length starts a new epoch. */
    void reconfigure(GroupSettings newSettings) {
        settings = newSettings;
        watch.warnAfter(Duration.ofSeconds(settings.keySetupWarnSeconds()));
        EpochKeySetup latest = keys.latest();
        if (!keys.matches(latest, settings)) {
            keys.startEpoch(latest.context().epoch() + 1, settings, this::superseded);
        }
    }

    /** Republishes the newest epoch's retained messages (after the broker connection was lost). */
    void republishCurrent() {
        EpochKeySetup latest = keys.latest();
        if (latest != null) {
            announcer.republish(latest);
        }
        steps.republishRequests();
    }

    void onPublicKey(Topic topic, byte[] payload, Instant now) {
        keys.onPublicKey(topic, payload);
    }

    void onBlindedKey(Topic topic, byte[] payload, Instant now) {
        EpochKeySetup.BlindedKeyUpdate last = keys.onBlindedKey(topic, payload);
        if (last != null) {
            activate(keys.get(topic.epoch()), last, now);
        }
    }

    /**
     * The new epoch takes over from the next step; earlier epochs stop there, so no label has two keys. One
     * transaction stores the activation, K and the end of every older epoch; memory follows; the announcement, then
     * (an epoch that does not keep them) the drop of the blinded keys, off this thread ({@link BlindedKeyCleanup}).
     * {@code last} is the blinded key that completed K (null if K is already applied).
     */
    private void activate(EpochKeySetup setup, EpochKeySetup.BlindedKeyUpdate last, Instant now) {
        long epoch = setup.context().epoch();
        long from = TimeSteps.label(now, setup.stepSeconds()) + 1;
        Map<Long, Long> ends = new TreeMap<>();
        for (EpochCollector older : steps.olderThan(epoch)) {
            if (older.activeUntil().isEmpty()) {
                // a different step length changes what a label means: end the old epoch at the same instant
                int olderStep = keys.get(older.epoch()).stepSeconds();
                ends.put(older.epoch(), Math.floorDiv(Math.multiplyExact(from, (long) setup.stepSeconds()) + olderStep - 1, olderStep));
            }
        }
        byte[] aggregationKey = last == null ? setup.exportAggregationKey() : EpochKeySetup.exportAggregationKey(last);
        epochStore.activate(group, epoch, from, aggregationKey, ends, keepsBlindedKeys(setup),
                last == null ? Map.of() : Map.of(last.meter(), last.encoding()));
        Arrays.fill(aggregationKey, (byte) 0);
        if (last != null) {
            setup.apply(last);
        }
        setup.activate(from);
        ends.forEach((olderEpoch, until) -> steps.get(olderEpoch).endAt(until));
        steps.start(setup, settings);
        announcer.announce(setup);
        LOG.info("group {}: epoch {} active from label {}", group, epoch, from);
        if (!keepsBlindedKeys(setup)) {
            cleanup.drop(group, epoch, setup.members());
        }
    }

    /**
     * A recoverable epoch keeps its blinded keys until it is retired ({@link #purgeAndRetire}): recovering a step needs
     * them. Any other epoch drops them once K is stored.
     */
    private static boolean keepsBlindedKeys(EpochKeySetup setup) {
        return setup.context().params().scheme().supportsRecovery();
    }

    /** A superseded epoch never becomes active: the blinded keys its key setup stored are never used. */
    private void superseded(EpochKeySetup setup) {
        setup.releaseBlindedKeys();
        if (setup.blindedKeysReceived() > 0) {
            cleanup.drop(group, setup.context().epoch(), setup.members());
        }
    }

    /**
     * A retired epoch: no label of it is accepted any more (it ended and its last label left the late window) and every
     * step of it has its final result or its last INCOMPLETE one, none is being recovered ({@link EpochCollector#finished}).
     * Nothing can use its blinded keys again; a recoverable epoch's stored ones are dropped (K and results stay).
     */
    private void retired(EpochKeySetup setup) {
        setup.releaseBlindedKeys();
        if (keepsBlindedKeys(setup)) {
            cleanup.drop(group, setup.context().epoch(), setup.members());
        }
    }

    /** Drops the blinded keys a stored epoch still holds (what a crash or a failure left). */
    private void dropStored(EpochRecord record) {
        cleanup.drop(group, record.epoch(), new TreeMap<>(record.blindedKeys()).keySet().stream().toList());
    }

    /** Verifies and reserves a ciphertext; the caller stores it, acknowledges, then asks {@link #resultAfterStore}. */
    PendingCiphertext reserve(Topic topic, byte[] payload, Instant now) {
        return steps.reserve(keys.epochFor(topic), topic.meterId(), payload, now);
    }

    void release(PendingCiphertext pending) {
        steps.release(pending);
    }

    void markStored(PendingCiphertext pending) {
        steps.markStored(pending);
    }

    StepCollection.StagedAnswer checkRecoveryAnswer(Topic topic, byte[] payload) {
        return steps.checkRecoveryAnswer(topic.epoch(), topic.meterId(), payload);
    }

    void storeRecoveryAnswer(StepCollection.StagedAnswer staged) {
        steps.storeRecoveryAnswer(staged);
    }

    Optional<StepResult> keepRecoveryAnswer(StepCollection.StagedAnswer staged, Instant now) {
        return steps.keepRecoveryAnswer(staged, now);
    }

    Optional<StepResult> resultAfterStore(long epoch, long label, Instant now) {
        return steps.resultAfterStore(epoch, label, now);
    }

    void recorded(StepResult result) {
        steps.recorded(result);
    }

    /** Deadline processing: the results due; the caller records them, then calls {@link #purgeAndRetire}. */
    List<StepResult> closeExpired(Instant now) {
        watch.check(keys.latest(), now);
        announcer.retry(keys.latest());
        return steps.closeExpired(now);
    }

    /**
     * Purge of stored ciphertexts no step needs, retirement of ended epochs (their retained keys are cleared, their
     * stored blinded keys dropped off this thread).
     */
    void purgeAndRetire(Instant now) {
        steps.purgeAndRetire(now, epoch -> {
            announcer.clearRetained(keys.get(epoch), false);
            LOG.info("group {}: epoch {} retired", group, epoch);
            retired(keys.get(epoch));
        });
    }

    GroupStatus status() {
        EpochKeySetup latest = keys.latest();
        return new GroupStatus(group, latest.context().epoch(), latest.phase(), latest.context().params().name(), latest.stepSeconds(),
                latest.members(), latest.publicKeysReceived(), latest.blindedKeysReceived(), latest.activeFrom(),
                steps.collectingEpochs(), steps.pendingCount(), watch.stalledSince(latest), latest.sparse(),
                settings.maskGraphOption());
    }

    String id() {
        return group;
    }

    /**
     * The members a stalled key setup (running longer than keySetupWarnSeconds) waits for; empty if none stalled, and
     * while no older epoch is collecting: a group's first setup waits for every configured member, as before.
     */
    List<String> holdingUpKeySetup() {
        EpochKeySetup latest = keys.latest();
        boolean fallback = !steps.collectingEpochs().isEmpty();
        return fallback && watch.stalledSince(latest).isPresent() ? latest.membersWithoutKey() : List.of();
    }

    /** The members of one of the group's epochs, or null if it is unknown. */
    List<String> members(long epoch) {
        EpochKeySetup setup = keys.get(epoch);
        return setup == null ? null : setup.members();
    }
}
