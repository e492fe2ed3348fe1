package org.psametering.meter.agent;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.MeterListener;
import org.psametering.meter.store.EpochKeys;
import org.psametering.meter.store.EpochPhase;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.MeterState;
import org.psametering.meter.store.SparseRow;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter's side of an epoch's key setup (docs/protocol.md): on an announcement of a new epoch it generates and saves
 * keys and publishes its public key; on the key set it publishes its blinded key; on the ACTIVE announcement it records
 * from which label the epoch's key is used. Re-delivered retained messages repeat only idempotent steps.
 */
final class EpochJoiner {

    private static final Logger log = LoggerFactory.getLogger(EpochJoiner.class);

    private final String meterId;
    private final String groupId;
    private final MeterId self;
    private final AgentState state;
    private final Outbound outbound;
    private final MeterListener listener;
    private final SecureRandom random;
    private final AnnouncementCheck check;
    private final TrustGate trust;
    private long stepsUnderSupersededEpoch;

    EpochJoiner(String meterId, String groupId, AgentState state, Outbound outbound, MeterListener listener, SecureRandom random,
                AnnouncementLimits limits, TrustGate trust) {
        this.trust = trust;
        this.meterId = meterId;
        this.groupId = groupId;
        this.self = new MeterId(meterId);
        this.state = state;
        this.outbound = outbound;
        this.listener = listener;
        this.random = random;
        this.check = new AnnouncementCheck(meterId, groupId, limits);
    }

    /**
     * Acts on an announcement only once {@link AnnouncementCheck} found all of it believable.
     *
     * @throws RefusedAnnouncement if it is not (the caller counts and logs it)
     */
    void onAnnouncement(GroupAnnouncement a) {
        MeterState s = state.current();
        Optional<SparseRow> row = check.check(a, s).map(r -> new SparseRow(a.maskGraph().orElseThrow(), r.neighbours()));
        Optional<EpochState> known = s.epoch(a.epoch());
        if (known.isEmpty()) {
            startEpoch(a, PsaParameters.byName(a.params()), row); // the check refused an unknown ACTIVE epoch
            return;
        }
        EpochState epoch = known.get();
        boolean differs = !Arrays.equals(epoch.headEndPublicKey(), a.headEndPublicKey()) || epoch.groupSize() != a.members().size()
                || !epoch.params().equals(a.params()) || epoch.stepSeconds() != a.stepSeconds() || !epoch.sparseRow().equals(row);
        if (differs && a.phase() == GroupPhase.KEY_SETUP && epoch.phase() == EpochPhase.KEY_SETUP) {
            // Nothing is committed before the blinded key leaves, so the latest announcement of a pending epoch wins:
            // a forged KEY_SETUP that took this epoch number first must not block the real one (and vice versa the
            // real head-end's retained announcement brings the meter back). Fresh keys, as for a new epoch.
            log.warn("meter {}: epoch {} was announced again with another head-end key, members, parameters, step"
                    + " length or mask graph during its key setup; starting its key setup again", meterId, a.epoch());
            startEpoch(a, PsaParameters.byName(a.params()), row);
            return;
        }
        if (differs) {
            throw new RefusedAnnouncement(AnnouncementRefusal.CHANGED_WITHOUT_NEW_EPOCH, "announcement of epoch " + a.epoch()
                    + " differs from the one this meter joined (head-end key, members, parameters, step length or mask graph changed"
                    + " without a new epoch)");
        }
        if (a.phase() == GroupPhase.KEY_SETUP) {
            if (epoch.phase() == EpochPhase.KEY_SETUP) {
                publishPublicKey(epoch); // idempotent (retained); covers a publish lost before a restart or outage
            }
        } else if (epoch.phase() == EpochPhase.KEY_SETUP) {
            throw new RefusedAnnouncement(AnnouncementRefusal.ACTIVE_BEFORE_BLINDED_KEY, "epoch " + a.epoch()
                    + " announced ACTIVE before this meter sent its blinded key");
        } else if (!epoch.isActive()) {
            activate(epoch, a.activeFromLabel().orElseThrow());
        }
    }

    /**
     * Joins a new epoch. Active epochs are kept (steps before the new one takes over still need them), and so are two
     * unfinished key setups below the new epoch: the lowest, which is the head-end's next epoch when bogus announcements
     * of higher epochs keep arriving (any number of them must not throw away the keys of a real setup in progress), and
     * the highest, a real epoch the head-end started after giving up a lower one. Unfinished setups above the new epoch
     * are dropped: a real head-end never goes back in epoch numbers, so they are bogus or dead, and one that never
     * completes (no key set, never ACTIVE) cannot block a later real one. Those in between are abandoned; so are all
     * lower ones once an epoch becomes active ({@link #activate}).
     */
    private void startEpoch(GroupAnnouncement a, PsaParameters params, Optional<SparseRow> row) {
        EpochKeys keys = new EpochKeys(PsaKey.generate(params, random), AgreementKeyPair.generate(random));
        EpochState epoch = new EpochState(a.epoch(), params.name(), a.stepSeconds(), a.members().size(), a.headEndPublicKey(),
                EpochPhase.KEY_SETUP, -1, keys, MeterState.NO_LABEL, Optional.empty(), row);
        List<EpochState> kept = new ArrayList<>(state.current().epochs().stream()
                .filter(e -> e.isActive() && e.epoch() != a.epoch()).toList());
        List<EpochState> unfinishedBelow = state.current().epochs().stream().filter(e -> !e.isActive() && e.epoch() < a.epoch()).toList();
        if (!unfinishedBelow.isEmpty()) {
            kept.add(unfinishedBelow.get(0)); // oldest first
            if (unfinishedBelow.size() > 1) {
                kept.add(unfinishedBelow.get(unfinishedBelow.size() - 1));
            }
        }
        kept.add(epoch);
        // saved before the public key leaves: a restart must find this key pair, not make a second one for the epoch
        state.save(state.current().withEpochs(kept));
        log.info("meter {}: joining group {} epoch {} ({} members, {}{})", meterId, groupId, a.epoch(), a.members().size(),
                params.name(), row.map(r -> ", sparse mask graph, " + r.neighbours().size() + " neighbours").orElse(""));
        publishPublicKey(epoch);
    }

    private void publishPublicKey(EpochState epoch) {
        byte[] encoded = trust.signPublicKey(epoch.epoch(), epoch.params(),
                Encodings.encode(epoch.keys().agreementKey().publicKey()));
        outbound.publish(Topics.publicKey(groupId, epoch.epoch(), meterId), encoded, true, Outbound.IGNORE);
    }

    /** @throws MalformedMessageException if the key set does not match what this meter joined */
    void onKeySet(long topicEpoch, KeySetMessage keySet) {
        if (keySet.epoch() != topicEpoch || !keySet.group().equals(groupId)) {
            throw new MalformedMessageException("key set for group " + keySet.group() + " epoch " + keySet.epoch()
                    + " published on the topic of epoch " + topicEpoch);
        }
        Optional<EpochState> known = state.current().epoch(keySet.epoch());
        if (known.isEmpty() || known.get().isActive()) {
            return; // not ours, or the head-end already has our blinded key
        }
        EpochState epoch = known.get();
        // the TrustGate passed this key set before (MeterAgent.onKeySet); the agreements run on the same bounded threads
        sendBlinded(epoch, KeySetup.blind(self, epoch.keys().agreementKey(), epoch.keys().psaKey(),
                KeySetCheck.verified(groupId, meterId, keySet, epoch), trust.pool().parallelism(), trust.pool().executor()));
    }

    /**
     * Sends the epoch's blinded key (complete or sparse graph): the state says BLINDED_SENT before the key leaves, and a
     * redelivered key set sends the same bytes again.
     */
    void sendBlinded(EpochState epoch, BlindedKey blinded) {
        byte[] payload = BlindedKeyMessage.seal(Encodings.encode(blinded), state.crypto(epoch).messageKey());
        if (epoch.phase() == EpochPhase.KEY_SETUP) {
            state.save(state.current().with(epoch.withPhase(EpochPhase.BLINDED_SENT)));
        }
        // re-sent whenever the retained key set arrives before activation; the blinded key is deterministic, so repeats agree
        outbound.publish(Topics.blindedKey(groupId, epoch.epoch(), meterId), payload, false, Outbound.IGNORE);
        log.info("meter {}: sent blinded key for epoch {}", meterId, epoch.epoch());
    }

    /** Unfinished setups of lower epochs can never become active any more: the head-end superseded them. */
    private void activate(EpochState epoch, long activeFromLabel) {
        EpochState active = epoch.activeFrom(activeFromLabel);
        List<EpochState> kept = new ArrayList<>(state.current().epochs().stream()
                .filter(e -> e.epoch() != epoch.epoch() && (e.isActive() || e.epoch() > epoch.epoch())).toList());
        kept.add(active);
        state.save(state.current().withEpochs(kept));
        log.info("meter {}: epoch {} active from label {}", meterId, epoch.epoch(), activeFromLabel);
        countStepsSentUnderTheOldEpoch(active);
        listener.onEpochActive(meterId, epoch.epoch(), activeFromLabel);
    }

    /**
     * An ACTIVE that arrives after its first step started (the meter was offline or the message was late): steps
     * from that instant on were already encrypted under an older epoch, which the head-end refuses for them
     * (WRONG_EPOCH). The readings are lost; count and report them rather than let them vanish.
     */
    private void countStepsSentUnderTheOldEpoch(EpochState activated) {
        long start = activated.startSecond();
        for (EpochState older : state.current().epochs()) {
            if (older.isActive() && older.epoch() < activated.epoch() && older.lastLabel() != MeterState.NO_LABEL) {
                long firstLate = Math.floorDiv(start + older.stepSeconds() - 1, older.stepSeconds()); // first step starting >= start
                long late = older.lastLabel() - firstLate + 1;
                if (late > 0) {
                    stepsUnderSupersededEpoch += late;
                    log.warn("meter {}: epoch {} became known as active only after {} of its steps were sent under epoch {};"
                            + " the head-end refuses those (WRONG_EPOCH), their readings are lost", meterId, activated.epoch(),
                            late, older.epoch());
                }
            }
        }
    }

    /** Steps encrypted under an older epoch after a newer one had taken over (learned of too late). */
    long stepsUnderSupersededEpoch() {
        return stepsUnderSupersededEpoch;
    }
}
