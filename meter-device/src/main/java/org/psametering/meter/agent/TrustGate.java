package org.psametering.meter.agent;

import java.util.EnumMap;
import java.util.Map;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.trust.UntrustedIdentityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between the broker and the meter's key setup that is about trust: it opens the head-end's signed
 * announcements, key sets and recovery requests (certificate of the configured head-end name, signature), refuses
 * groups below {@code group.minMembers}, has every key set checked by the {@link KeySetVerifier}, and signs this
 * meter's own epoch keys. It counts and remembers refusals for the meter's status.
 */
final class TrustGate {

    private static final Logger log = LoggerFactory.getLogger(TrustGate.class);

    private final String meterId;
    private final String groupId;
    private final MeterTrust trust;
    private final KeySetVerifier keySets;
    private final KeySetupPool pool;
    private final Map<TrustRefusal, Long> refusals = new EnumMap<>(TrustRefusal.class);
    private String lastRefusal = "";

    TrustGate(String meterId, String groupId, MeterTrust trust, AnnouncementLimits limits) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.trust = trust;
        this.pool = new KeySetupPool(trust.keySetupThreads());
        this.keySets = new KeySetVerifier(meterId, groupId, trust, limits, pool);
        if (trust.minGroupSize() < MeterTrust.DEFAULT_MIN_GROUP_SIZE) {
            log.warn("meter {}: group.minMembers is {}, below the default {}: a sum over so few households comes close to"
                    + " one household's reading", meterId, trust.minGroupSize(), MeterTrust.DEFAULT_MIN_GROUP_SIZE);
        }
        if (limits.weakerSparseGraphThanDefault()) {
            log.warn("meter {}: sparse mask graphs are accepted under weaker assumptions than the default ({}, at least {}"
                    + " neighbours): for simulations of small groups only", meterId, limits.sparseGraph(), limits.minimumRow());
        }
    }

    /**
     * The body of a signed head-end message of the expected kind.
     *
     * @throws RefusedByTrust if it is unsigned, or not signed by a valid certificate of the configured head-end
     */
    byte[] open(SignedMessage.Kind kind, byte[] payload) {
        SignedMessage message;
        try {
            message = SignedMessage.parse(payload);
        } catch (MalformedMessageException e) {
            throw new RefusedByTrust(TrustRefusal.UNSIGNED, kind + ": " + LogText.cut(e.getMessage()));
        }
        try {
            return message.open(kind, trust.verifier(), trust.headEndName());
        } catch (MalformedMessageException e) {
            throw new RefusedByTrust(TrustRefusal.UNSIGNED, LogText.cut(e.getMessage()));
        } catch (UntrustedIdentityException e) {
            TrustRefusal reason = e.reason().equals(UntrustedIdentityException.MESSAGE_SIGNATURE)
                    ? TrustRefusal.HEAD_END_SIGNATURE : TrustRefusal.HEAD_END_CERTIFICATE;
            throw new RefusedByTrust(reason, kind + " not signed by head-end '" + LogText.cut(trust.headEndName()) + "' ("
                    + e.reason() + "): " + LogText.cut(e.getMessage()));
        }
    }

    /** @throws RefusedByTrust if the announced group is smaller than this meter's minimum */
    void checkAnnouncement(GroupAnnouncement a) {
        if (a.members().size() < trust.minGroupSize()) {
            throw new RefusedByTrust(TrustRefusal.GROUP_TOO_SMALL, "epoch " + a.epoch() + " announces " + a.members().size()
                    + " members, fewer than group.minMembers " + trust.minGroupSize() + "; not joining");
        }
    }

    /** @throws RefusedByTrust if the key set must not be used (see {@link KeySetVerifier}) */
    void checkKeySet(KeySetMessage keySet, byte[] body, EpochState epoch) {
        keySets.verify(keySet, body, epoch);
    }

    /** @throws RefusedByTrust if a sparse epoch's per-meter key set must not be used (see {@link KeySetVerifier}) */
    void checkNeighbourKeySet(KeySetMessage keySet, byte[] body, EpochState epoch) {
        keySets.verifyNeighbours(keySet, body, epoch);
    }

    /** The threads of this meter's key setup: the key set's checks, then (only after they all passed) the blinding. */
    KeySetupPool pool() {
        return pool;
    }

    /** This meter's signed public key frame for an epoch (the payload of its pubkey topic). */
    byte[] signPublicKey(long epoch, String params, byte[] keyEncoding) {
        return SignedPublicKey.sign(trust.identity(), groupId, epoch, meterId, params, keyEncoding).encode();
    }

    /** Counts, remembers and logs a refusal (never a secret: names, epochs and reasons only). */
    void refused(RefusedByTrust e) {
        refusals.merge(e.reason(), 1L, Long::sum);
        lastRefusal = e.reason() + ": " + e.getMessage();
        log.warn("meter {}: group {}: REFUSED ({}): {}; no key is blinded or answer sent for it", meterId, groupId, e.reason(),
                e.getMessage());
    }

    Map<TrustRefusal, Long> refusals() {
        return Map.copyOf(refusals);
    }

    String lastRefusal() {
        return lastRefusal;
    }
}
