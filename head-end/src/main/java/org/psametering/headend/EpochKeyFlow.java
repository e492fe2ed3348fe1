package org.psametering.headend;

import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.MaskGraphOption;
import org.psametering.headend.core.CannotJudge;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.SparseGraphDraw;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.store.EpochStore;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topic;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.UntrustedIdentityException;
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
    private final IngestCounters counters;
    private final TreeMap<Long, EpochKeySetup> epochs = new TreeMap<>();
    private final IdentityVerifier members;

    EpochKeyFlow(String group, EpochStore epochStore, RetainedAnnouncer announcer, SecureRandom random, IngestCounters counters,
                 IdentityVerifier members) {
        this.group = group;
        this.members = members;
        this.counters = counters;
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

    /** Whether the epoch still fits the settings; a changed graph kind (e.g. maskGraph complete to sparse) does not. */
    boolean matches(EpochKeySetup epoch, GroupSettings settings) {
        return epoch.members().equals(settings.members()) && epoch.context().params().equals(settings.parameters())
                && epoch.stepSeconds() == settings.stepSeconds()
                && epoch.sparse() == settings.maskGraphOption().sparseFor(settings.members().size());
    }

    /**
     * The epochs superseded since the newest active one (newest first). A crash between storing a supersession and
     * the end of clearing its retained messages leaves them on the broker; {@link GroupCoordinator#open} clears these
     * again. Older ones were cleared by a start before a later activation, so the list stays short.
     */
    java.util.List<EpochKeySetup> supersededSinceActive() {
        java.util.List<EpochKeySetup> superseded = new java.util.ArrayList<>();
        for (EpochKeySetup setup : epochs.descendingMap().values()) {
            if (setup.phase() == EpochPhase.ACTIVE) {
                break;
            }
            if (setup.phase() == EpochPhase.SUPERSEDED) {
                superseded.add(setup);
            }
        }
        return superseded;
    }

    /**
     * Supersedes an unfinished newest epoch (stored SUPERSEDED, then {@code onSuperseded}: the caller drops the blinded
     * keys it stored), then starts and announces {@code epoch}.
     */
    void startEpoch(long epoch, GroupSettings settings, Consumer<EpochKeySetup> onSuperseded) {
        EpochKeySetup previous = latest();
        if (previous != null && previous.phase() != EpochPhase.ACTIVE && previous.phase() != EpochPhase.SUPERSEDED) {
            // database first: if the write fails, memory still says unfinished, so the caller's retry supersedes it
            // again and clears its retained messages (memory first left it stored unfinished, its keys retained)
            epochStore.setPhase(group, previous.context().epoch(), EpochPhase.SUPERSEDED, OptionalLong.empty());
            previous.supersede();
            announcer.clearRetained(previous, false);
            onSuperseded.accept(previous);
        }
        EpochKeySetup setup = newSetup(epoch, settings);
        epochStore.create(setup.toNewRecord());
        epochs.put(epoch, setup);
        LOG.info("group {}: epoch {} key setup started with {} members, {}", group, epoch, settings.members().size(),
                setup.maskGraph().map(g -> String.format("sparse mask graph (edge probability %.4f)", g.probability()))
                        .orElse("complete mask graph"));
        announcer.announce(setup);
    }

    private EpochKeySetup newSetup(long epoch, GroupSettings settings) {
        int size = settings.members().size();
        MaskGraphOption option = settings.maskGraphOption();
        if (!option.sparseFor(size)) {
            if (option == MaskGraphOption.SPARSE) {
                LOG.warn("group {}: epoch {} has {} active members, fewer than the {} a sparse graph needs: it masks over the"
                        + " complete graph", group, epoch, size, MaskGraphOption.SPARSE_MIN_MEMBERS);
            }
            return EpochKeySetup.start(group, epoch, settings.parameters(), settings.stepSeconds(), settings.members(), random);
        }
        // the seed is fresh per group and epoch; the stored record keeps it, so a restart announces the same graph
        SparseGraphDraw.Drawn graph = SparseGraphDraw.draw(group, epoch, size, GraphParameters.DEFAULT, random);
        return EpochKeySetup.startSparse(group, epoch, settings.parameters(), settings.stepSeconds(), settings.members(), graph, random);
    }

    /** Database first (committed; the caller forces the batch to disk), then memory, then (the caller) the acknowledgement. */
    void onPublicKey(Topic topic, byte[] payload) {
        EpochKeySetup setup = epochFor(topic);
        EpochKeySetup.PublicKeyUpdate update = setup.checkPublicKey(topic.meterId(), payload);
        if (update == null) {
            return;
        }
        checkSignature(setup, topic, payload);
        if (update.replacesKey()) {
            counters.publicKeyReplaced();
            LOG.warn("group {}: epoch {}: meter {} replaced its public key before the key set was fixed (accepted: a meter that "
                    + "lost its state starts its setup again)", group, topic.epoch(), LogIds.id(topic.meterId()));
        }
        epochStore.savePublicKey(group, topic.epoch(), topic.meterId(), payload, update.completesKeySet());
        setup.apply(update);
        if (update.completesKeySet()) {
            announcer.publishKeySet(setup);
            LOG.info("group {}: epoch {} {} published", group, topic.epoch(),
                    setup.sparse() ? setup.members().size() + " per-meter key sets" : "keyset");
        }
    }

    /**
     * A forged member key is refused here too, not only by the meters: it would stall the key setup (every meter refuses
     * the key set) and it shows an attack. Checked once per new key (a retained redelivery of a stored key is not).
     */
    private void checkSignature(EpochKeySetup setup, Topic topic, byte[] payload) {
        try {
            SignedPublicKey.parse(payload).verify(members, group, topic.epoch(), topic.meterId(), setup.context().params().name());
        } catch (MalformedMessageException e) {
            throw new Rejected(RejectReason.MALFORMED, "public key of meter " + topic.meterId() + ": " + e.getMessage());
        } catch (UntrustedIdentityException e) {
            boolean signature = e.reason().equals(UntrustedIdentityException.MESSAGE_SIGNATURE);
            throw new Rejected(signature ? RejectReason.BAD_SIGNATURE : RejectReason.UNTRUSTED_CERTIFICATE, "public key of meter "
                    + topic.meterId() + " (" + e.reason() + "): " + e.getMessage());
        }
    }

    /**
     * Stores and applies a blinded key, or, if it is the last one, returns it unapplied: the caller stores the
     * activation in one transaction with it and then applies it. Null otherwise.
     */
    EpochKeySetup.BlindedKeyUpdate onBlindedKey(Topic topic, byte[] payload) {
        EpochKeySetup setup = epochFor(topic);
        EpochKeySetup.BlindedKeyUpdate update = setup.checkBlindedKey(topic.meterId(), payload);
        if (update == null) {
            return null;
        }
        if (update.completes()) {
            return update;
        }
        epochStore.saveBlindedKey(group, topic.epoch(), topic.meterId(), update.encoding());
        setup.apply(update);
        return null;
    }

    EpochKeySetup epochFor(Topic topic) {
        EpochKeySetup setup = epochs.get(topic.epoch());
        EpochKeySetup latest = latest();
        if (setup == null && latest != null && topic.epoch() > latest.context().epoch()) {
            throw new CannotJudge("group " + group + " has no epoch " + topic.epoch() + " yet (newest " + latest.context().epoch() + ")");
        }
        if (setup == null) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "group " + group + " has no epoch " + topic.epoch());
        }
        if (setup.phase() == EpochPhase.SUPERSEDED) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "epoch " + topic.epoch() + " of " + group + " was superseded before it became active");
        }
        return setup;
    }
}
