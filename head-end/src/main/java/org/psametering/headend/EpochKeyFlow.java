package org.psametering.headend;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.store.EpochStore;
import org.psametering.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key setups of a group's epochs: starting a new epoch, the members' public and blinded keys, and their
 * persistence. Activation (which also ends older epochs' collection) is the {@link GroupCoordinator}'s.
 */
final class EpochKeyFlow {
    private static final Logger LOG = LoggerFactory.getLogger(EpochKeyFlow.class);

    private final String group;
    private final EpochStore epochStore;
    private final RetainedAnnouncer announcer;
    private final SecureRandom random;
    private final TreeMap<Long, EpochKeySetup> epochs = new TreeMap<>();

    EpochKeyFlow(String group, EpochStore epochStore, RetainedAnnouncer announcer, SecureRandom random) {
        this.group = group;
        this.epochStore = epochStore;
        this.announcer = announcer;
        this.random = random;
    }

    EpochKeySetup restore(EpochRecord record) {
        EpochKeySetup setup = EpochKeySetup.restore(record);
        epochs.put(record.epoch(), setup);
        return setup;
    }

    /** The newest epoch, or null before the first. */
    EpochKeySetup latest() {
        return epochs.isEmpty() ? null : epochs.lastEntry().getValue();
    }

    EpochKeySetup get(long epoch) {
        return epochs.get(epoch);
    }

    Collection<EpochKeySetup> all() {
        return epochs.values();
    }

    boolean matches(EpochKeySetup epoch, GroupSettings settings) {
        return epoch.members().equals(settings.members()) && epoch.context().params().equals(settings.parameters())
                && epoch.stepSeconds() == settings.stepSeconds();
    }

    /** Supersedes an unfinished newest epoch, then starts and announces {@code epoch}. */
    void startEpoch(long epoch, GroupSettings settings) {
        EpochKeySetup previous = latest();
        if (previous != null && previous.phase() != EpochPhase.ACTIVE && previous.phase() != EpochPhase.SUPERSEDED) {
            previous.supersede();
            epochStore.setPhase(group, previous.context().epoch(), EpochPhase.SUPERSEDED, OptionalLong.empty());
            announcer.clearRetained(previous);
        }
        EpochKeySetup setup = EpochKeySetup.start(group, epoch, settings.parameters(), settings.stepSeconds(), settings.members(), random);
        epochStore.create(setup.toNewRecord());
        epochs.put(epoch, setup);
        LOG.info("group {}: epoch {} key setup started with {} members", group, epoch, settings.members().size());
        announcer.announce(setup);
    }

    void onPublicKey(Topic topic, byte[] payload) {
        EpochKeySetup setup = epochFor(topic);
        switch (setup.onPublicKey(topic.meterId(), payload)) {
            case UNCHANGED -> {
            }
            case STORED -> epochStore.savePublicKey(group, topic.epoch(), topic.meterId(), payload);
            case KEYSET_COMPLETE -> {
                epochStore.savePublicKey(group, topic.epoch(), topic.meterId(), payload);
                epochStore.setPhase(group, topic.epoch(), EpochPhase.KEYSET_PUBLISHED, OptionalLong.empty());
                announcer.publishKeySet(setup);
                LOG.info("group {}: epoch {} keyset published", group, topic.epoch());
            }
            case BLINDED_COMPLETE -> throw new IllegalStateException("a public key cannot complete the blinded keys");
        }
    }

    /** Returns the epoch if this blinded key was its last missing one (the caller activates it), else null. */
    EpochKeySetup onBlindedKey(Topic topic, byte[] payload) {
        EpochKeySetup setup = epochFor(topic);
        EpochKeySetup.Progress progress = setup.onBlindedKey(topic.meterId(), payload);
        if (progress == EpochKeySetup.Progress.UNCHANGED) {
            return null;
        }
        epochStore.saveBlindedKey(group, topic.epoch(), topic.meterId(), setup.blindedKeyEncoding(topic.meterId()));
        return progress == EpochKeySetup.Progress.BLINDED_COMPLETE ? setup : null;
    }

    EpochKeySetup epochFor(Topic topic) {
        EpochKeySetup setup = epochs.get(topic.epoch());
        if (setup == null) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "group " + group + " has no epoch " + topic.epoch());
        }
        if (setup.phase() == EpochPhase.SUPERSEDED) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "epoch " + topic.epoch() + " of " + group + " was superseded before it became active");
        }
        return setup;
    }
}
