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

    EpochJoiner(String meterId, String groupId, AgentState state, Outbound outbound, MeterListener listener, SecureRandom random) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.self = new MeterId(meterId);
        this.state = state;
        this.outbound = outbound;
        this.listener = listener;
        this.random = random;
    }

    /** @throws MalformedMessageException if the announcement is inconsistent (the caller counts it) */
    void onAnnouncement(GroupAnnouncement a) {
        if (!a.group().equals(groupId)) {
            throw new MalformedMessageException("announcement names group " + a.group());
        }
        if (!a.members().contains(meterId)) {
            log.info("meter {}: not a member of group {} epoch {}; waiting", meterId, groupId, a.epoch());
            return;
        }
        PsaParameters params = PsaParameters.byName(a.params());
        MeterState s = state.current();
        Optional<EpochState> known = s.epoch(a.epoch());
        if (known.isEmpty()) {
            long newest = s.newest().map(EpochState::epoch).orElse(-1L);
            if (a.epoch() < newest) {
                log.debug("meter {}: ignoring announcement of old epoch {} (have {})", meterId, a.epoch(), newest);
            } else if (a.phase() == GroupPhase.ACTIVE) {
                throw new MalformedMessageException("epoch " + a.epoch() + " of group " + groupId + " is active but this meter"
                        + " holds no key for it (data directory lost?); it can take part again once the head-end starts a new epoch");
            } else {
                startEpoch(a, params);
            }
            return;
        }
        EpochState epoch = known.get();
        if (!Arrays.equals(epoch.headEndPublicKey(), a.headEndPublicKey()) || epoch.groupSize() != a.members().size()
                || !epoch.params().equals(a.params())) {
            throw new MalformedMessageException("announcement of epoch " + a.epoch()
                    + " differs from the one this meter joined (head-end key, members or parameters changed without a new epoch)");
        }
        if (a.phase() == GroupPhase.KEY_SETUP) {
            if (epoch.phase() == EpochPhase.KEY_SETUP) {
                publishPublicKey(epoch); // idempotent (retained); covers a publish lost before a restart or outage
            }
        } else if (!epoch.isActive()) {
            activate(epoch, a.activeFromLabel().orElseThrow());
        }
    }

    private void startEpoch(GroupAnnouncement a, PsaParameters params) {
        EpochKeys keys = new EpochKeys(PsaKey.generate(params, random), AgreementKeyPair.generate(random));
        EpochState epoch = new EpochState(a.epoch(), params.name(), a.stepSeconds(), a.members().size(), a.headEndPublicKey(),
                EpochPhase.KEY_SETUP, -1, keys);
        // an unfinished key setup of an older epoch is abandoned: the head-end has moved on
        List<EpochState> kept = new ArrayList<>(state.current().epochs().stream().filter(EpochState::isActive).toList());
        kept.add(epoch);
        // saved before the public key leaves: a restart must find this key pair, not make a second one for the epoch
        state.save(state.current().withEpochs(kept));
        log.info("meter {}: joining group {} epoch {} ({} members, {})", meterId, groupId, a.epoch(), a.members().size(), params.name());
        publishPublicKey(epoch);
    }

    private void publishPublicKey(EpochState epoch) {
        byte[] encoded = Encodings.encode(epoch.keys().agreementKey().publicKey());
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
        if (!keySet.params().equals(epoch.params()) || keySet.members().size() != epoch.groupSize()) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " does not match its announcement");
        }
        if (!keySet.members().contains(meterId)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " lacks this meter");
        }
        byte[] ours = Encodings.encode(epoch.keys().agreementKey().publicKey());
        if (!Arrays.equals(keySet.publicKey(meterId), ours)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " carries a public key for this meter"
                    + " that is not the one it published; not blinding");
        }
        BlindedKey blinded = KeySetup.blind(self, epoch.keys().agreementKey(), epoch.keys().psaKey(), toKeySet(keySet, epoch));
        byte[] payload = BlindedKeyMessage.seal(Encodings.encode(blinded), state.crypto(epoch).messageKey());
        if (epoch.phase() == EpochPhase.KEY_SETUP) {
            state.save(state.current().with(epoch.withPhase(EpochPhase.BLINDED_SENT)));
        }
        // re-sent whenever the retained key set arrives before activation; the blinded key is deterministic, so repeats agree
        outbound.publish(Topics.blindedKey(groupId, epoch.epoch(), meterId), payload, false, Outbound.IGNORE);
        log.info("meter {}: sent blinded key for epoch {}", meterId, epoch.epoch());
    }

    private KeySet toKeySet(KeySetMessage message, EpochState epoch) {
        SortedMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (String member : message.members()) {
            members.put(new MeterId(member), Encodings.decodePublicKey(message.publicKey(member)));
        }
        GroupContext group = new GroupContext(groupId, epoch.epoch(), epoch.groupSize(), PsaParameters.byName(epoch.params()));
        return new KeySet(group, members);
    }

    private void activate(EpochState epoch, long activeFromLabel) {
        EpochState active = epoch.activeFrom(activeFromLabel);
        state.save(state.current().with(active));
        log.info("meter {}: epoch {} active from label {}", meterId, epoch.epoch(), activeFromLabel);
        listener.onEpochActive(meterId, epoch.epoch(), activeFromLabel);
    }
}
