package org.psametering.meter.agent;

import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.keysetup.SparseKeySetup;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.SparseRow;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key set of a sparse-graph epoch (shared-crypto README section 13.3, docs/protocol.md "Sparse mask graph"): the
 * head-end sends each meter its own set on {@code psa/v1/{group}/{epoch}/keyset/{meter}}, signed, with the meter as
 * {@code recipient} and as members exactly the meter and its neighbours. Before a single mask is derived this meter
 * requires: the epoch it joined is sparse and the set is per-meter (else {@code KEY_SET_WRONG_GRAPH}), topic meter ==
 * recipient == itself ({@code KEY_SET_WRONG_RECIPIENT}), members == its saved row and itself
 * ({@code NEIGHBOURS_MISMATCH}), and every signed key passes the complete set's checks ({@link KeySetVerifier}). Then it
 * blinds over its neighbours and sends the blinded key as in the complete graph ({@link EpochJoiner#sendBlinded}), and
 * hands the neighbour keys to the {@link RecoveryAnswerer}. Refusals are thrown as {@link RefusedByTrust} (counted by
 * the agent). Called under the agent's lock.
 */
final class NeighbourKeySets {

    private static final Logger log = LoggerFactory.getLogger(NeighbourKeySets.class);

    private final String meterId;
    private final String groupId;
    private final MeterId self;
    private final AgentState state;
    private final TrustGate trust;
    private final EpochJoiner joiner;
    private final RecoveryAnswerer recovery;

    NeighbourKeySets(String meterId, String groupId, AgentState state, TrustGate trust, EpochJoiner joiner,
                     RecoveryAnswerer recovery) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.self = new MeterId(meterId);
        this.state = state;
        this.trust = trust;
        this.joiner = joiner;
        this.recovery = recovery;
    }

    /**
     * Takes the key set if it is a per-meter set or belongs to a sparse epoch this meter joined.
     *
     * @return false if it is the whole group's key set of a complete-graph (or unknown) epoch: the caller's path
     * @throws RefusedByTrust           if it must not be used (nothing is blinded)
     * @throws MalformedMessageException if it names another group or epoch than its topic
     */
    boolean onKeySet(Topic topic, KeySetMessage keySet, byte[] body) {
        boolean perMeter = topic.meter().isPresent() || keySet.recipient().isPresent();
        Optional<EpochState> known = state.current().epoch(topic.epoch());
        if (!perMeter && known.map(e -> !e.isSparse()).orElse(true)) {
            return false;
        }
        if (keySet.epoch() != topic.epoch() || !keySet.group().equals(groupId)) {
            throw new MalformedMessageException("key set for group " + LogText.cut(keySet.group()) + " epoch " + keySet.epoch()
                    + " published on the topic of epoch " + topic.epoch());
        }
        if (known.isEmpty()) {
            log.debug("meter {}: ignoring the per-meter key set of epoch {} (not joined)", meterId, topic.epoch());
            return true;
        }
        EpochState epoch = known.get();
        if (!epoch.isSparse() || !perMeter) {
            throw new RefusedByTrust(TrustRefusal.KEY_SET_WRONG_GRAPH, epoch.isSparse()
                    ? "the whole group's key set for epoch " + epoch.epoch() + ", which this meter joined over a sparse graph"
                    : "a per-meter key set for epoch " + epoch.epoch() + ", which this meter joined over the complete graph");
        }
        if (!topic.meter().equals(Optional.of(meterId)) || !keySet.recipient().equals(Optional.of(meterId))) {
            throw new RefusedByTrust(TrustRefusal.KEY_SET_WRONG_RECIPIENT, "per-meter key set of epoch " + epoch.epoch()
                    + " on the topic of " + LogText.cut(topic.meter().orElse("the group")) + " for recipient "
                    + LogText.cut(keySet.recipient().orElse("none")) + ", this meter is " + meterId);
        }
        SparseRow row = epoch.sparseRow().orElseThrow();
        Set<String> neighbours = new TreeSet<>(keySet.members());
        neighbours.remove(meterId); // present: the recipient is always among the members (codec)
        String mismatch = SparseGraphCheck.mismatch(row.neighbours(), neighbours);
        if (mismatch != null) {
            throw new RefusedByTrust(TrustRefusal.NEIGHBOURS_MISMATCH, "per-meter key set of epoch " + epoch.epoch()
                    + ": " + mismatch);
        }
        trust.checkNeighbourKeySet(keySet, body, epoch); // signatures, certificates, CRL, duplicates, own key
        NeighbourKeys keys = neighbourKeys(keySet, epoch);
        recovery.onNeighbourKeys(epoch, keys);
        if (!epoch.isActive()) {
            // the agreements run on the same bounded threads as the checks
            joiner.sendBlinded(epoch, SparseKeySetup.blind(self, epoch.keys().agreementKey(), epoch.keys().psaKey(), keys,
                    trust.pool().parallelism(), trust.pool().executor()));
        }
        return true;
    }

    private NeighbourKeys neighbourKeys(KeySetMessage keySet, EpochState epoch) {
        TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
        for (String member : keySet.members()) {
            if (!member.equals(meterId)) {
                neighbours.put(new MeterId(member), Encodings.decodePublicKey(keySet.publicKey(member)));
            }
        }
        GroupContext group = new GroupContext(groupId, epoch.epoch(), epoch.groupSize(), PsaParameters.byName(epoch.params()));
        return new NeighbourKeys(group, self, epoch.keys().agreementKey().publicKey(), neighbours);
    }
}
