package org.psametering.headend;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochCollector;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group on the head-end: ties its epochs' key setups ({@link EpochKeyFlow}) to the collection of their steps
 * ({@link StepCollection}) at restore, activation and retirement. Not thread-safe: the core thread owns it.
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
    private GroupSettings settings;

    GroupCoordinator(GroupSettings settings, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                     Publisher publisher, SecureRandom random) {
        this.group = settings.id();
        this.settings = settings;
        this.epochStore = epochStore;
        this.ciphertextStore = ciphertextStore;
        this.resultStore = resultStore;
        this.announcer = new RetainedAnnouncer(group, publisher);
        this.keys = new EpochKeyFlow(group, epochStore, announcer, random);
        this.steps = new StepCollection(group, ciphertextStore);
    }

    /**
     * Restores stored epochs (keys, pending ciphertexts, recorded results), starts a new epoch if the configuration
     * changed, and publishes the retained messages. Returns results that could be completed from stored ciphertexts.
     */
    List<StepResult> open(Instant now) {
        List<StepResult> results = new ArrayList<>();
        for (EpochRecord record : epochStore.load(group)) {
            EpochKeySetup setup = keys.restore(record);
            if (setup.phase() == EpochPhase.ACTIVE) {
                EpochCollector collector = steps.start(setup, settings);
                record.activeUntil().ifPresent(collector::endAt);
                if (collector.finished(now)) {
                    steps.forget(record.epoch());
                    continue;
                }
                List<Long> touched = collector.restore(resultStore.ofEpoch(group, record.epoch(), collector.oldestAccepted(now)),
                        ciphertextStore.load(group, record.epoch()), now);
                for (long label : touched) {
                    steps.tryComplete(collector, label, now).ifPresent(results::add);
                }
            }
        }
        EpochKeySetup latest = keys.latest();
        if (latest == null || latest.phase() == EpochPhase.SUPERSEDED || !keys.matches(latest, settings)) {
            keys.startEpoch(latest == null ? 0 : latest.context().epoch() + 1, settings);
        } else {
            announcer.republish(latest);
        }
        return results;
    }

    /** Applies a changed configuration: a different member list, parameter set or step length starts a new epoch. */
    void reconfigure(GroupSettings newSettings) {
        settings = newSettings;
        EpochKeySetup latest = keys.latest();
        if (!keys.matches(latest, settings)) {
            keys.startEpoch(latest.context().epoch() + 1, settings);
        }
    }

    /** Republishes the newest epoch's retained messages (after the broker connection was lost). */
    void republishCurrent() {
        EpochKeySetup latest = keys.latest();
        if (latest != null) {
            announcer.republish(latest);
        }
    }

    void onPublicKey(Topic topic, byte[] payload, Instant now) {
        keys.onPublicKey(topic, payload);
    }

    void onBlindedKey(Topic topic, byte[] payload, Instant now) {
        EpochKeySetup complete = keys.onBlindedKey(topic, payload);
        if (complete != null) {
            activate(complete, now);
        }
    }

    /** The new epoch takes over from the next step; earlier epochs stop there, so no label has two keys. */
    private void activate(EpochKeySetup setup, Instant now) {
        long epoch = setup.context().epoch();
        long from = TimeSteps.label(now, setup.stepSeconds()) + 1;
        setup.activate(from);
        epochStore.activate(group, epoch, from, setup.exportAggregationKey());
        for (EpochCollector older : steps.olderThan(epoch)) {
            if (older.activeUntil().isEmpty()) {
                // a different step length changes what a label means: end the old epoch at the same instant
                int olderStep = keys.get(older.epoch()).stepSeconds();
                long until = Math.floorDiv(Math.multiplyExact(from, (long) setup.stepSeconds()) + olderStep - 1, olderStep);
                older.endAt(until);
                epochStore.setActiveUntil(group, older.epoch(), until);
            }
        }
        steps.start(setup, settings);
        announcer.announce(setup);
        LOG.info("group {}: epoch {} active from label {}", group, epoch, from);
    }

    /** Verifies and reserves a ciphertext; the caller stores it, acknowledges, then calls {@link #tryComplete}. */
    PendingCiphertext reserve(Topic topic, byte[] payload, Instant now) {
        return steps.reserve(keys.epochFor(topic), topic.meterId(), payload, now);
    }

    void release(PendingCiphertext pending) {
        steps.release(pending);
    }

    Optional<StepResult> tryComplete(long epoch, long label, Instant now) {
        return steps.tryComplete(epoch, label, now);
    }

    /** Deadline processing: INCOMPLETE results, purge of what left the late window, retirement of ended epochs. */
    List<StepResult> closeExpired(Instant now) {
        List<Long> retired = new ArrayList<>();
        List<StepResult> results = steps.closeExpired(now, retired);
        for (long epoch : retired) {
            announcer.clearRetained(keys.get(epoch));
            LOG.info("group {}: epoch {} retired", group, epoch);
        }
        return results;
    }

    GroupStatus status() {
        EpochKeySetup latest = keys.latest();
        return new GroupStatus(group, latest.context().epoch(), latest.phase(), latest.context().params().name(), latest.stepSeconds(),
                latest.members(), latest.publicKeysReceived(), latest.blindedKeysReceived(), latest.activeFrom(),
                steps.collectingEpochs(), steps.pendingCount());
    }

    String id() {
        return group;
    }
}
