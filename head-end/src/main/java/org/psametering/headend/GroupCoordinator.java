package org.psametering.headend;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochCollector;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ForgedMessageException;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group on the head-end: its epochs' key setups, the collectors of its active epochs, persistence of every
 * transition, and what to publish. Not thread-safe: the core thread owns it.
 */
final class GroupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final String group;
    private final EpochStore epochStore;
    private final CiphertextStore ciphertextStore;
    private final ResultStore resultStore;
    private final Publisher publisher;
    private final SecureRandom random;
    private GroupSettings settings;
    private final TreeMap<Long, EpochKeySetup> epochs = new TreeMap<>();
    private final TreeMap<Long, EpochCollector> collectors = new TreeMap<>();
    private final Map<Long, Long> purgedBefore = new HashMap<>();

    GroupCoordinator(GroupSettings settings, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                     Publisher publisher, SecureRandom random) {
        this.group = settings.id();
        this.settings = settings;
        this.epochStore = epochStore;
        this.ciphertextStore = ciphertextStore;
        this.resultStore = resultStore;
        this.publisher = publisher;
        this.random = random;
    }

    /**
     * Restores stored epochs (keys, pending ciphertexts, recorded results), starts a new epoch if the configuration
     * changed, and publishes the retained messages. Returns results that could be completed from stored ciphertexts.
     */
    List<StepResult> open(Instant now) {
        List<StepResult> results = new ArrayList<>();
        for (EpochRecord record : epochStore.load(group)) {
            EpochKeySetup setup = EpochKeySetup.restore(record);
            epochs.put(record.epoch(), setup);
            if (setup.phase() == EpochPhase.ACTIVE) {
                EpochCollector collector = newCollector(setup);
                record.activeUntil().ifPresent(collector::endAt);
                if (collector.finished(now)) {
                    continue;
                }
                collectors.put(record.epoch(), collector);
                List<Long> touched = collector.restore(resultStore.ofEpoch(group, record.epoch(), collector.oldestAccepted(now)),
                        ciphertextStore.load(group, record.epoch()), now);
                for (long label : touched) {
                    tryComplete(collector, label, now).ifPresent(results::add);
                }
            }
        }
        EpochKeySetup latest = epochs.isEmpty() ? null : epochs.lastEntry().getValue();
        if (latest == null || latest.phase() == EpochPhase.SUPERSEDED || !matchesSettings(latest)) {
            startEpoch(latest == null ? 0 : latest.context().epoch() + 1);
        } else {
            republish(latest);
        }
        return results;
    }

    /** Applies a changed configuration: a different member list, parameter set or step length starts a new epoch. */
    void reconfigure(GroupSettings newSettings) {
        settings = newSettings;
        EpochKeySetup latest = epochs.lastEntry().getValue();
        if (!matchesSettings(latest)) {
            startEpoch(latest.context().epoch() + 1);
        }
    }

    private boolean matchesSettings(EpochKeySetup epoch) {
        return epoch.members().equals(settings.members()) && epoch.context().params().equals(settings.parameters())
                && epoch.stepSeconds() == settings.stepSeconds();
    }

    private void startEpoch(long epoch) {
        if (!epochs.isEmpty()) {
            EpochKeySetup previous = epochs.lastEntry().getValue();
            if (previous.phase() != EpochPhase.ACTIVE && previous.phase() != EpochPhase.SUPERSEDED) {
                previous.supersede();
                epochStore.setPhase(group, previous.context().epoch(), EpochPhase.SUPERSEDED, OptionalLong.empty());
                clearRetained(previous);
            }
        }
        EpochKeySetup setup = EpochKeySetup.start(group, epoch, settings.parameters(), settings.stepSeconds(), settings.members(), random);
        epochStore.create(setup.toNewRecord());
        epochs.put(epoch, setup);
        LOG.info("group {}: epoch {} key setup started with {} members", group, epoch, settings.members().size());
        announce(setup);
    }

    private void republish(EpochKeySetup setup) {
        announce(setup);
        if (setup.phase() == EpochPhase.KEYSET_PUBLISHED || setup.phase() == EpochPhase.ACTIVE) {
            publisher.publish(Topics.keySet(group, setup.context().epoch()), setup.keySetMessage().toJson(), true);
        }
    }

    /**
     * An epoch nobody may use any more: remove its retained keyset and public keys from the broker (an empty
     * retained payload deletes one), so they are not handed to every new subscriber forever.
     */
    private void clearRetained(EpochKeySetup setup) {
        long epoch = setup.context().epoch();
        publisher.publish(Topics.keySet(group, epoch), new byte[0], true);
        for (String meter : setup.members()) {
            publisher.publish(Topics.publicKey(group, epoch, meter), new byte[0], true);
        }
    }

    private void announce(EpochKeySetup setup) {
        publisher.publish(Topics.announce(group), setup.announcement().toJson(), true);
    }

    void onPublicKey(Topic topic, byte[] payload, Instant now) {
        EpochKeySetup setup = epochFor(topic);
        switch (setup.onPublicKey(topic.meterId(), payload)) {
            case UNCHANGED -> {
            }
            case STORED -> epochStore.savePublicKey(group, topic.epoch(), topic.meterId(), payload);
            case KEYSET_COMPLETE -> {
                epochStore.savePublicKey(group, topic.epoch(), topic.meterId(), payload);
                epochStore.setPhase(group, topic.epoch(), EpochPhase.KEYSET_PUBLISHED, OptionalLong.empty());
                publisher.publish(Topics.keySet(group, topic.epoch()), setup.keySetMessage().toJson(), true);
                LOG.info("group {}: epoch {} keyset published", group, topic.epoch());
            }
            case BLINDED_COMPLETE -> throw new IllegalStateException("a public key cannot complete the blinded keys");
        }
    }

    void onBlindedKey(Topic topic, byte[] payload, Instant now) {
        EpochKeySetup setup = epochFor(topic);
        EpochKeySetup.Progress progress = setup.onBlindedKey(topic.meterId(), payload);
        if (progress == EpochKeySetup.Progress.UNCHANGED) {
            return;
        }
        epochStore.saveBlindedKey(group, topic.epoch(), topic.meterId(), setup.blindedKeyEncoding(topic.meterId()));
        if (progress == EpochKeySetup.Progress.BLINDED_COMPLETE) {
            activate(setup, now);
        }
    }

    /** The new epoch takes over from the next step; earlier epochs stop there, so no label has two keys. */
    private void activate(EpochKeySetup setup, Instant now) {
        long epoch = setup.context().epoch();
        long from = TimeSteps.label(now, setup.stepSeconds()) + 1;
        setup.activate(from);
        epochStore.activate(group, epoch, from, setup.exportAggregationKey());
        for (EpochCollector older : collectors.headMap(epoch).values()) {
            if (older.activeUntil().isEmpty()) {
                // a different step length changes what a label means: end the old epoch at the same instant
                long until = Math.floorDiv(Math.multiplyExact(from, (long) setup.stepSeconds()) + stepSecondsOf(older) - 1, stepSecondsOf(older));
                older.endAt(until);
                epochStore.setActiveUntil(group, older.epoch(), until);
            }
        }
        collectors.put(epoch, newCollector(setup));
        announce(setup);
        LOG.info("group {}: epoch {} active from label {}", group, epoch, from);
    }

    private int stepSecondsOf(EpochCollector collector) {
        return epochs.get(collector.epoch()).stepSeconds();
    }

    private EpochCollector newCollector(EpochKeySetup setup) {
        return new EpochCollector(setup, settings.deadlineSeconds(), settings.lateWindowSeconds());
    }

    private EpochKeySetup epochFor(Topic topic) {
        EpochKeySetup setup = epochs.get(topic.epoch());
        if (setup == null) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "group " + group + " has no epoch " + topic.epoch());
        }
        if (setup.phase() == EpochPhase.SUPERSEDED) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "epoch " + topic.epoch() + " of " + group + " was superseded before it became active");
        }
        return setup;
    }

    /** Verifies and reserves a ciphertext; the caller stores it, acknowledges, then calls {@link #tryComplete}. */
    PendingCiphertext reserve(Topic topic, byte[] payload, Instant now) {
        EpochKeySetup setup = epochFor(topic);
        EpochCollector collector = collectors.get(topic.epoch());
        String meter = topic.meterId();
        if (collector == null) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "epoch " + topic.epoch() + " of " + group + " is not collecting (phase "
                    + setup.phase() + ")");
        }
        MessageKey key = setup.messageKey(meter);
        if (key == null) {
            throw new Rejected(RejectReason.UNKNOWN_METER, "meter " + meter + " is not a member of " + group + "/" + topic.epoch());
        }
        Ciphertext ciphertext;
        try {
            byte[] body = CiphertextMessage.parse(payload).verify(key).ciphertextEncoding();
            ciphertext = Encodings.decodeCiphertext(body, setup.context().params());
        } catch (MalformedMessageException | MalformedEncodingException e) {
            throw new Rejected(RejectReason.MALFORMED, "ciphertext of meter " + meter + ": " + e.getMessage());
        } catch (ForgedMessageException e) {
            throw new Rejected(RejectReason.FORGED, "ciphertext of meter " + meter + ": " + e.getMessage());
        }
        collector.reserve(meter, ciphertext, now);
        return new PendingCiphertext(group, topic.epoch(), meter, ciphertext);
    }

    void release(PendingCiphertext pending) {
        EpochCollector collector = collectors.get(pending.epoch());
        if (collector != null) {
            collector.release(pending.meter(), pending.label());
        }
    }

    Optional<StepResult> tryComplete(long epoch, long label, Instant now) {
        EpochCollector collector = collectors.get(epoch);
        return collector == null ? Optional.empty() : tryComplete(collector, label, now);
    }

    private Optional<StepResult> tryComplete(EpochCollector collector, long label, Instant now) {
        try {
            return collector.tryComplete(label, now);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // every input was authenticated, so this means inconsistent keys: never publish a wrong sum
            LOG.error("group {}: epoch {} label {} cannot be aggregated: {}", group, collector.epoch(), label, e.getMessage());
            return Optional.empty();
        }
    }

    /** Deadline processing: INCOMPLETE results, purge of what left the late window, retirement of ended epochs. */
    List<StepResult> closeExpired(Instant now) {
        List<StepResult> results = new ArrayList<>();
        for (var it = collectors.entrySet().iterator(); it.hasNext(); ) {
            EpochCollector collector = it.next().getValue();
            results.addAll(collector.closeExpired(now));
            long oldest = collector.oldestAccepted(now);
            if (purgedBefore.getOrDefault(collector.epoch(), Long.MIN_VALUE) < oldest) {
                ciphertextStore.deleteBefore(group, collector.epoch(), oldest);
                purgedBefore.put(collector.epoch(), oldest);
            }
            if (collector.finished(now)) {
                it.remove();
                clearRetained(epochs.get(collector.epoch()));
                LOG.info("group {}: epoch {} retired", group, collector.epoch());
            }
        }
        return results;
    }

    GroupStatus status() {
        EpochKeySetup latest = epochs.lastEntry().getValue();
        int pending = collectors.values().stream().mapToInt(EpochCollector::pendingCount).sum();
        return new GroupStatus(group, latest.context().epoch(), latest.phase(), latest.context().params().name(), latest.stepSeconds(),
                latest.members(), latest.publicKeysReceived(), latest.blindedKeysReceived(), latest.activeFrom(),
                List.copyOf(collectors.keySet()), pending);
    }

    String id() {
        return group;
    }
}
