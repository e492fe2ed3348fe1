package org.psametering.meter.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.PairwiseSeeds;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryDecision;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.recovery.RecoveryResponder;
import org.psametering.crypto.recovery.RefusalReason;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter's side of recovering a step with missing meters (docs/protocol.md, "Recovery"): checks each request with
 * the {@link RecoveryPolicy} (its own minimum reporting set, itself not missing, the label already encrypted, at most one
 * distinct request per epoch and label), saves the answered request in the state file BEFORE the answer is queued,
 * then queues the MAC'd answer in the outbox like a ciphertext. Every refusal is logged and counted.
 *
 * <p>The key set of an epoch is needed to re-derive the masks shared with the missing meters; the head-end keeps it
 * retained, so it arrives again on every (re)subscribe and is kept here in memory only. When it arrives, the meter's
 * pairwise mask seeds with every other member are derived once ({@link PairwiseSeeds}: N - 1 X25519 agreements, 32
 * bytes per member), so that an answer costs one mask expansion per missing meter instead of an agreement and an
 * expansion (about 0.6 ms instead of 3.6 ms for 1 000 members with 10 missing). The seeds are secrets no stronger than
 * the epoch's X25519 private key, which the state file holds anyway; they live in memory only, are never logged, and
 * are wiped as soon as their epoch leaves the meter's state or the meter stops. Called under the agent's lock.
 *
 * <p>On a sparse mask graph (shared-crypto README section 13.4) the meter holds only its neighbours' public keys (from
 * its per-meter key set, {@link NeighbourKeySets}); it answers with the residual over its missing neighbours (one
 * agreement and expansion each) and only if at least {@code GraphParameters.minimumReportingNeighbours(|row|)} of its
 * neighbours are listed as reporting ({@link LocalRefusal#TOO_FEW_REPORTING_NEIGHBOURS}).
 */
final class RecoveryAnswerer {

    /** Refusals the meter decides before the policy runs; the policy's own reasons are counted by their names. */
    enum LocalRefusal {
        /** No active epoch of that number: this meter cannot have encrypted anything under it. */
        UNKNOWN_EPOCH,
        /** The epoch's parameter set has no recovery (scheme v1). */
        NOT_RECOVERABLE,
        /** The epoch's key set has not arrived (yet): the masks cannot be derived. */
        NO_KEY_SET,
        /** The request cannot be a request of this epoch (e.g. every member listed missing). */
        INVALID_REQUEST,
        /**
         * Sparse graph (shared-crypto README section 13.4): fewer of this meter's neighbours are listed as reporting
         * than its minimum, so the reporting ones might all collude with the head-end and its answer would reveal
         * F(k_i, t), i.e. its reading.
         */
        TOO_FEW_REPORTING_NEIGHBOURS
    }

    private static final Logger log = LoggerFactory.getLogger(RecoveryAnswerer.class);

    private final String meterId;
    private final String groupId;
    private final MeterId self;
    private final AgentState state;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final RecoveryPolicy policy;
    /** Per epoch: the verified key set with this meter's pairwise seeds derived from it ({@link PairwiseSeeds#keySet}). */
    private final Map<Long, PairwiseSeeds> seeds = new HashMap<>();
    /** Per sparse epoch: the verified neighbour keys (public keys only, nothing to wipe). */
    private final Map<Long, NeighbourKeys> neighbourKeys = new HashMap<>();
    private final GraphParameters graph;
    private final Map<String, Long> refusals = new TreeMap<>();
    private long answered;
    private long repeated;

    RecoveryAnswerer(String meterId, String groupId, AgentState state, Outbox outbox, OutboxSender sender, RecoveryPolicy policy,
                     GraphParameters graph) {
        this.graph = graph;
        this.meterId = meterId;
        this.groupId = groupId;
        this.self = new MeterId(meterId);
        this.state = state;
        this.outbox = outbox;
        this.sender = sender;
        this.policy = policy;
    }

    /** Keeps the key set of an epoch this meter holds keys for; throws if it is not the one this meter joined. */
    void onKeySet(KeySetMessage message) {
        Optional<EpochState> epoch = state.current().epoch(message.epoch());
        if (epoch.isEmpty() || !PsaParameters.byName(epoch.get().params()).scheme().supportsRecovery()) {
            return;
        }
        KeySet keySet = KeySetCheck.verified(groupId, meterId, message, epoch.get());
        PairwiseSeeds held = seeds.get(message.epoch());
        if (held == null || !held.keySet().equals(keySet)) { // the retained key set comes again on every resubscribe
            if (held != null) {
                seeds.remove(message.epoch()); // out of the map before the wipe: never answer from wiped seeds
                held.wipe();
            }
            long started = System.nanoTime();
            seeds.put(message.epoch(), PairwiseSeeds.derive(self, epoch.get().keys().agreementKey(), keySet));
            log.info("meter {}: derived the pairwise seeds for recovery answers in epoch {} ({} members) in {} ms",
                    meterId, message.epoch(), keySet.members().size(), (System.nanoTime() - started) / 1_000_000);
        }
        forgetEndedEpochs();
    }

    /** Keeps the verified neighbour keys of a sparse epoch ({@link NeighbourKeySets} checked them). */
    void onNeighbourKeys(EpochState epoch, NeighbourKeys keys) {
        if (PsaParameters.byName(epoch.params()).scheme().supportsRecovery()) {
            neighbourKeys.put(epoch.epoch(), keys);
        }
        forgetEndedEpochs();
    }

    /**
     * Drops the key sets and wipes the seeds of epochs that are no longer in the meter's state (superseded, or a key
     * setup that was abandoned): no request of theirs can be answered any more, so their secrets go now.
     */
    void forgetEndedEpochs() {
        neighbourKeys.keySet().removeIf(epoch -> state.current().epoch(epoch).isEmpty());
        seeds.entrySet().removeIf(e -> {
            boolean ended = state.current().epoch(e.getKey()).isEmpty();
            if (ended) {
                e.getValue().wipe();
            }
            return ended;
        });
    }

    /** Wipes every seed (the meter stops). */
    void wipeAll() {
        seeds.values().forEach(PairwiseSeeds::wipe);
        seeds.clear();
        neighbourKeys.clear();
    }

    /** Epochs whose seeds are held now (for tests). */
    java.util.Set<Long> epochsWithSeeds() {
        return java.util.Set.copyOf(seeds.keySet());
    }

    /** @throws MalformedMessageException if the request names another group or epoch than its topic */
    void onRequest(long topicEpoch, RecoveryRequestMessage message) {
        if (message.epoch() != topicEpoch || !message.group().equals(groupId)) {
            throw new MalformedMessageException("recovery request for group " + message.group() + " epoch "
                    + message.epoch() + " on the topic of epoch " + topicEpoch);
        }
        Optional<EpochState> known = state.current().epoch(message.epoch()).filter(EpochState::isActive);
        if (known.isEmpty()) {
            refuse(LocalRefusal.UNKNOWN_EPOCH.name(), message, "no active epoch " + message.epoch());
            return;
        }
        EpochState epoch = known.get();
        if (!PsaParameters.byName(epoch.params()).scheme().supportsRecovery()) {
            refuse(LocalRefusal.NOT_RECOVERABLE.name(), message, "parameter set " + epoch.params() + " has no recovery");
            return;
        }
        if (epoch.isSparse()) {
            onSparseRequest(epoch, message);
            return;
        }
        PairwiseSeeds epochSeeds = seeds.get(epoch.epoch());
        if (epochSeeds == null) {
            refuse(LocalRefusal.NO_KEY_SET.name(), message, "the key set of epoch " + epoch.epoch() + " has not arrived");
            return;
        }
        RecoveryRequest request = requestOf(epochSeeds.group(), message);
        if (request == null) {
            return;
        }
        RecoveryDecision decision = policy.decide(request, self, epochSeeds.keySet(), epoch.lastLabel(),
                epoch.lastRecovery());
        switch (decision) {
            case RecoveryDecision.Refuse r -> refuse(r.reason().name(), message, r.detail());
            // no X25519 agreement here: one mask expansion per missing meter from the seeds derived with the key set
            case RecoveryDecision.Answer a -> answer(epoch, a, permit -> RecoveryResponder.answer(permit, epochSeeds));
        }
    }

    /**
     * Section 13.4: the policy's rules from the neighbour keys, then the sparse rule (enough reporting neighbours),
     * then the residual over the missing neighbours only (one agreement and expansion per missing neighbour).
     */
    private void onSparseRequest(EpochState epoch, RecoveryRequestMessage message) {
        NeighbourKeys keys = neighbourKeys.get(epoch.epoch());
        if (keys == null) {
            refuse(LocalRefusal.NO_KEY_SET.name(), message, "the per-meter key set of epoch " + epoch.epoch() + " has not arrived");
            return;
        }
        RecoveryRequest request = requestOf(keys.group(), message);
        if (request == null) {
            return;
        }
        RecoveryDecision decision = policy.decide(request, keys, epoch.lastLabel(), epoch.lastRecovery());
        if (decision instanceof RecoveryDecision.Refuse r) {
            refuse(r.reason().name(), message, r.detail());
            return;
        }
        String tooFew = SparseGraphCheck.tooFewReportingNeighbours(graph, epoch.sparseRow().orElseThrow().neighbours(),
                new java.util.HashSet<>(message.missing()));
        if (tooFew != null) {
            refuse(LocalRefusal.TOO_FEW_REPORTING_NEIGHBOURS.name(), message, tooFew);
            return;
        }
        answer(epoch, (RecoveryDecision.Answer) decision,
                permit -> RecoveryResponder.answer(permit, epoch.keys().agreementKey(), keys));
    }

    /** The request in the crypto API's terms, or null after refusing it (INVALID_REQUEST). */
    private RecoveryRequest requestOf(org.psametering.crypto.psa.GroupContext group, RecoveryRequestMessage message) {
        try {
            TreeSet<MeterId> missing = new TreeSet<>();
            message.missing().forEach(m -> missing.add(new MeterId(m)));
            return new RecoveryRequest(group, message.label(), missing);
        } catch (IllegalArgumentException e) {
            refuse(LocalRefusal.INVALID_REQUEST.name(), message, e.getMessage());
            return null;
        }
    }

    private void answer(EpochState epoch, RecoveryDecision.Answer decision,
                        java.util.function.Function<org.psametering.crypto.recovery.RecoveryPermit, RecoveryAnswer> responder) {
        RecoveryRequest request = decision.permit().request();
        if (!decision.repeat()) {
            // durable first: after a crash the meter must still know it answered this request for this label
            state.save(state.current().with(epoch.withLastRecovery(decision.permit().record())));
        }
        RecoveryAnswer answer = responder.apply(decision.permit());
        byte[] payload = RecoveryAnswerMessage.seal(Encodings.encode(answer, request.group().params()),
                state.crypto(epoch).messageKey());
        outbox.add(request.label(), Topics.recoveryAnswer(groupId, epoch.epoch(), meterId), payload);
        sender.pump();
        if (decision.repeat()) {
            repeated++;
        } else {
            answered++;
        }
        log.info("meter {}: answered recovery of label {} in epoch {} ({} missing, {} reporting){}", meterId,
                request.label(), epoch.epoch(), request.missing().size(), request.reportingCount(),
                decision.repeat() ? ", a repeat of the same request" : "");
    }

    private void refuse(String reason, RecoveryRequestMessage message, String detail) {
        refusals.merge(reason, 1L, Long::sum);
        if (reason.equals(RefusalReason.SELF_LISTED_MISSING.name())) {
            // every member gets the request; the missing ones seeing it is the normal case, not a warning
            log.info("meter {}: not answering the recovery of label {} of epoch {}: this meter is listed as missing",
                    meterId, message.label(), message.epoch());
            return;
        }
        log.warn("meter {}: refused recovery request for label {} of epoch {} ({}): {}", meterId, message.label(),
                message.epoch(), reason, LogText.cut(detail));
    }

    long answered() {
        return answered;
    }

    long repeated() {
        return repeated;
    }

    Map<String, Long> refusals() {
        return Map.copyOf(refusals);
    }
}
