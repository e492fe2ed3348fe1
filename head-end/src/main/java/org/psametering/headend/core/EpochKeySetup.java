package org.psametering.headend.core;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.crypto.wire.SecretKeyCodec;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.ForgedMessageException;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.SignedPublicKey;

/**
 * Key setup of one (group, epoch), head-end side: ANNOUNCED → (every member's public key) → KEYSET_PUBLISHED →
 * (every member's blinded key) → ready to activate → ACTIVE.
 *
 * <p>Pure state: the caller persists what each step returns and publishes the messages; no I/O here. Every input
 * is checked (member, phase, encoding, MAC) and refused with a {@link Rejected}, never half-applied.
 */
public final class EpochKeySetup {
    /** What a key-setup message changed, so the caller knows what to persist and publish. */
    public enum Progress {
        /** Nothing new (the same key again, e.g. a retained message after a restart). */
        UNCHANGED,
        /** Stored; more members still to come. */
        STORED,
        /** The last missing public key: publish {@link #keySetMessage()}. */
        KEYSET_COMPLETE,
        /** The last missing blinded key: {@link #aggregationKey()} is available; activate. */
        BLINDED_COMPLETE
    }

    private final GroupContext context;
    private final int stepSeconds;
    private final List<String> members;
    private final AgreementKeyPair headEndKey;
    /** The sparse graph's seed and threshold; empty for the complete graph. */
    private final Optional<GraphSpec> maskGraph;
    /** The sparse graph's rows (neighbour indices per member), computed once when first needed. */
    private int[][] rows;
    private final TreeMap<String, byte[]> publicKeyEncodings = new TreeMap<>();
    private final Map<String, MessageKey> messageKeys = new HashMap<>();
    private BlindedKeyIntake blindedKeys; // from the key set on
    private EpochPhase phase = EpochPhase.ANNOUNCED;
    private KeySet keySet;
    private AggregationKey aggregationKey;
    private OptionalLong activeFrom = OptionalLong.empty();

    private EpochKeySetup(String group, long epoch, PsaParameters params, int stepSeconds, List<String> members,
                          AgreementKeyPair headEndKey, Optional<GraphSpec> maskGraph) {
        this.context = new GroupContext(group, epoch, members.size(), params);
        this.stepSeconds = stepSeconds;
        this.members = List.copyOf(members);
        this.headEndKey = headEndKey;
        this.maskGraph = maskGraph;
    }

    /** A fresh epoch over the complete graph with a new head-end key pair. {@code members} must be sorted and unique. */
    public static EpochKeySetup start(String group, long epoch, PsaParameters params, int stepSeconds, List<String> members,
                                      SecureRandom random) {
        return new EpochKeySetup(group, epoch, params, stepSeconds, members, AgreementKeyPair.generate(random), Optional.empty());
    }

    /** A fresh epoch over the sparse graph {@code graph} (drawn for exactly this group, epoch and member count). */
    public static EpochKeySetup startSparse(String group, long epoch, PsaParameters params, int stepSeconds, List<String> members,
                                            SparseGraphDraw.Drawn graph, SecureRandom random) {
        if (graph.rows().length != members.size()) {
            throw new IllegalArgumentException("graph drawn for " + graph.rows().length + " members, epoch has " + members.size());
        }
        EpochKeySetup setup = new EpochKeySetup(group, epoch, params, stepSeconds, members, AgreementKeyPair.generate(random),
                Optional.of(graph.spec()));
        setup.rows = graph.rows();
        return setup;
    }

    /** Rebuilds an epoch from its stored record by replaying the stored keys (no re-publication needed). */
    public static EpochKeySetup restore(EpochRecord record) {
        EpochKeySetup setup = new EpochKeySetup(record.group(), record.epoch(), PsaParameters.byName(record.params()),
                record.stepSeconds(), record.members(), SecretKeyCodec.importAgreementKeyPair(record.headEndKey()),
                record.maskGraph());
        if (record.phase() == EpochPhase.SUPERSEDED) {
            setup.phase = EpochPhase.SUPERSEDED;
            return setup;
        }
        new TreeMap<>(record.publicKeys()).forEach(setup::onPublicKey);
        if (record.aggregationKey() != null) {
            setup.aggregationKey = SecretKeyCodec.importAggregationKey(record.aggregationKey());
            // a recoverable epoch keeps its blinded keys: recovering a step subtracts the missing meters' ones from K;
            // any other epoch's stored ones are what a restart interrupted the drop of (BlindedKeyCleanup): unused
            if (setup.context.params().scheme().supportsRecovery()) {
                new TreeMap<>(record.blindedKeys()).forEach(setup::restoreBlindedKey);
            }
        } else {
            new TreeMap<>(record.blindedKeys()).forEach(setup::acceptBlindedEncoding);
        }
        if (record.phase() == EpochPhase.ACTIVE) {
            if (setup.aggregationKey == null) {
                throw new IllegalStateException("stored epoch " + record.group() + "/" + record.epoch()
                        + " is ACTIVE but lacks blinded keys to rebuild its aggregation key");
            }
            setup.activate(record.activeFrom().orElseThrow());
        }
        return setup;
    }

    /** The secret export of the head-end's epoch key pair, for the caller to persist (never log it). */
    public byte[] exportHeadEndKey() {
        return SecretKeyCodec.export(headEndKey);
    }

    public EpochRecord toNewRecord() {
        return new EpochRecord(context.groupId(), context.epoch(), context.params().name(), stepSeconds, members, exportHeadEndKey(),
                phase, activeFrom, OptionalLong.empty(), Map.of(), Map.of(), null, maskGraph);
    }

    /** The secret export of the aggregation key, for the caller to persist (never log it). */
    public byte[] exportAggregationKey() {
        return SecretKeyCodec.export(aggregationKey());
    }

    /** The secret export of a checked, not yet applied, aggregation key (never log it). */
    public static byte[] exportAggregationKey(BlindedKeyUpdate update) {
        return SecretKeyCodec.export(update.aggregationKey());
    }

    /** A checked public key, not yet applied: the caller persists it first, then {@link #apply(PublicKeyUpdate)}. */
    public record PublicKeyUpdate(String meter, byte[] encoding, MessageKey messageKey, boolean replacesKey, boolean completesKeySet) {
    }

    /** A checked blinded key, not yet applied; {@code aggregationKey} is non-null when it is the last one. */
    public record BlindedKeyUpdate(String meter, byte[] encoding, BlindedKey blindedKey, AggregationKey aggregationKey) {
        public boolean completes() {
            return aggregationKey != null;
        }
    }

    /** Checks and applies at once (restore replays stored keys this way). */
    public Progress onPublicKey(String meter, byte[] encoding) {
        PublicKeyUpdate update = checkPublicKey(meter, encoding);
        return update == null ? Progress.UNCHANGED : apply(update);
    }

    /**
     * Checks a member's X25519 public key (shared-crypto wire encoding) without changing anything; null if it is the
     * key already known. Before the keyset is fixed a member may replace its key (it lost its state and restarted its
     * setup: refusing would stall the epoch); the caller logs and counts that. Afterwards only the same key is accepted.
     */
    public PublicKeyUpdate checkPublicKey(String meter, byte[] encoding) {
        requireMember(meter);
        byte[] known = publicKeyEncodings.get(meter);
        if (known != null && Arrays.equals(known, encoding)) {
            return null;
        }
        MessageKey messageKey;
        try {
            // the payload is the meter's signed key frame (kept whole: it goes into the key set unchanged); its
            // signature and certificate are checked by the caller, EpochKeyFlow, before it is stored
            AgreementPublicKey publicKey = Encodings.decodePublicKey(SignedPublicKey.parse(encoding).keyEncoding());
            byte[] secret = headEndKey.sharedSecret(publicKey);
            messageKey = MessageKey.derive(secret, context.groupId(), context.epoch(), meter);
            Arrays.fill(secret, (byte) 0);
        } catch (MalformedEncodingException | MalformedMessageException | IllegalArgumentException e) {
            // checked before the phase: bytes that are no key are MALFORMED whatever the phase, not a changed key
            throw new Rejected(RejectReason.MALFORMED, "public key of meter " + meter + ": " + e.getMessage());
        }
        if (phase != EpochPhase.ANNOUNCED) {
            throw new Rejected(RejectReason.DUPLICATE, "meter " + meter + " published a different public key after the keyset of "
                    + context.groupId() + "/" + context.epoch() + " was fixed");
        }
        boolean completes = known == null && publicKeyEncodings.size() + 1 == members.size();
        return new PublicKeyUpdate(meter, encoding.clone(), messageKey, known != null, completes);
    }

    /** Applies a checked public key (after the caller stored it). */
    public Progress apply(PublicKeyUpdate update) {
        publicKeyEncodings.put(update.meter(), update.encoding().clone());
        messageKeys.put(update.meter(), update.messageKey());
        if (publicKeyEncodings.size() < members.size()) {
            return Progress.STORED;
        }
        TreeMap<MeterId, AgreementPublicKey> keys = new TreeMap<>();
        publicKeyEncodings.forEach((id, bytes) -> keys.put(new MeterId(id),
                Encodings.decodePublicKey(SignedPublicKey.parse(bytes).keyEncoding())));
        keySet = new KeySet(context, keys);
        blindedKeys = new BlindedKeyIntake(keySet, context.params().scheme().supportsRecovery(),
                context.groupId() + "/" + context.epoch());
        phase = EpochPhase.KEYSET_PUBLISHED;
        return Progress.KEYSET_COMPLETE;
    }

    /**
     * Checks the MQTT payload of a member's blinded key (MAC'd frame) without changing anything; null if it changes
     * nothing (the same key again, or any authentic blinded key once the epoch is active).
     */
    public BlindedKeyUpdate checkBlindedKey(String meter, byte[] payload) {
        requireMember(meter);
        if (phase == EpochPhase.ANNOUNCED || phase == EpochPhase.SUPERSEDED) {
            throw new Rejected(RejectReason.OUT_OF_PHASE, "blinded key of meter " + meter + " for " + context.groupId() + "/"
                    + context.epoch() + " in phase " + phase);
        }
        byte[] body;
        try {
            body = BlindedKeyMessage.parse(payload).verify(messageKeys.get(meter)).blindedKeyEncoding();
        } catch (MalformedMessageException e) {
            throw new Rejected(RejectReason.MALFORMED, "blinded key of meter " + meter + ": " + e.getMessage());
        } catch (ForgedMessageException e) {
            throw new Rejected(RejectReason.FORGED, "blinded key of meter " + meter + ": " + e.getMessage());
        }
        if (phase == EpochPhase.ACTIVE) {
            // an authentic one is a redelivery (after a restart K is restored without the blinded keys); garbage was
            // refused above, so it is counted, not silently dropped
            return null;
        }
        return checkBlindedEncoding(meter, body);
    }

    /** Checks and applies at once; see {@link #checkBlindedKey}. */
    public Progress onBlindedKey(String meter, byte[] payload) {
        BlindedKeyUpdate update = checkBlindedKey(meter, payload);
        return update == null ? Progress.UNCHANGED : apply(update);
    }

    private BlindedKeyUpdate checkBlindedEncoding(String meter, byte[] body) {
        if (keySet == null) {
            throw new Rejected(RejectReason.OUT_OF_PHASE, "blinded key of meter " + meter + " before the keyset");
        }
        if (blindedKeys.alreadyAccepted(meter, body)) {
            return null;
        }
        BlindedKey blinded;
        try {
            blinded = Encodings.decodeBlindedKey(body, keySet);
        } catch (MalformedEncodingException | IllegalArgumentException e) {
            throw new Rejected(RejectReason.MALFORMED, "blinded key of meter " + meter + ": " + e.getMessage());
        }
        if (!blinded.meterId().value().equals(meter)) {
            throw new Rejected(RejectReason.MALFORMED, "blinded key on the topic of meter " + meter + " names meter " + blinded.meterId());
        }
        return new BlindedKeyUpdate(meter, body.clone(), blinded, blindedKeys.aggregationKeyIfLast(blinded));
    }

    /** Applies a checked blinded key (after the caller stored it, or stored the aggregation key it completes). */
    public Progress apply(BlindedKeyUpdate update) {
        blindedKeys.apply(update.meter(), update.encoding(), update.blindedKey());
        if (!update.completes()) {
            return Progress.STORED;
        }
        aggregationKey = update.aggregationKey();
        return Progress.BLINDED_COMPLETE;
    }

    private Progress acceptBlindedEncoding(String meter, byte[] body) {
        BlindedKeyUpdate update = checkBlindedEncoding(meter, body);
        return update == null ? Progress.UNCHANGED : apply(update);
    }

    /** A blinded key stored next to K (checked again; K is not recombined). */
    private void restoreBlindedKey(String meter, byte[] body) {
        if (keySet == null) {
            throw new IllegalStateException("stored blinded key of " + meter + " in " + context.groupId() + "/"
                    + context.epoch() + " without a complete key set");
        }
        BlindedKey blinded = Encodings.decodeBlindedKey(body, keySet);
        if (!blinded.meterId().value().equals(meter)) {
            throw new IllegalStateException("stored blinded key of " + meter + " names meter " + blinded.meterId());
        }
        blindedKeys.restoreBeside(meter, body, blinded);
    }

    /** The blinded key of a member kept for recovery; empty if this epoch does not have it (e.g. a scheme-v1 epoch). */
    public Optional<BlindedKey> blindedKey(String meter) {
        return blindedKeys == null ? Optional.empty() : blindedKeys.kept(meter);
    }

    /** The complete key set (every member's public key); empty before the key set is complete. */
    public Optional<KeySet> keySet() {
        return Optional.ofNullable(keySet);
    }

    /** True when every blinded key is there (K derived) but the epoch is not active yet. */
    public boolean readyToActivate() {
        return phase == EpochPhase.KEYSET_PUBLISHED && aggregationKey != null;
    }

    /** Marks the epoch active from {@code label} on; requires every blinded key. */
    public void activate(long label) {
        if (aggregationKey == null) {
            throw new IllegalStateException("epoch " + context.epoch() + " of " + context.groupId() + " lacks blinded keys");
        }
        phase = EpochPhase.ACTIVE;
        activeFrom = OptionalLong.of(label);
    }

    /** Abandons key setup (a newer epoch replaced this one before it became active). */
    public void supersede() {
        if (phase == EpochPhase.ACTIVE) {
            throw new IllegalStateException("an active epoch ends with activeUntil, it is not superseded");
        }
        phase = EpochPhase.SUPERSEDED;
    }

    private void requireMember(String meter) {
        if (Collections.binarySearch(members, meter) < 0) {
            throw new Rejected(RejectReason.UNKNOWN_METER, "meter " + meter + " is not a member of " + context.groupId() + "/" + context.epoch());
        }
    }

    public GroupAnnouncement announcement() {
        return new GroupAnnouncement(context.groupId(), context.epoch(), context.params().name(), stepSeconds, members,
                Encodings.encode(headEndKey.publicKey()), phase == EpochPhase.ACTIVE ? GroupPhase.ACTIVE : GroupPhase.KEY_SETUP, activeFrom,
                maskGraph);
    }

    /** The sparse graph's seed and threshold, as announced; empty for the complete graph. */
    public Optional<GraphSpec> maskGraph() {
        return maskGraph;
    }

    public boolean sparse() {
        return maskGraph.isPresent();
    }

    /** The group key set (complete graph): every member's signed key. A sparse epoch has {@link #keySetMessageFor} instead. */
    public KeySetMessage keySetMessage() {
        requireKeySet();
        if (sparse()) {
            throw new IllegalStateException("epoch " + context.groupId() + "/" + context.epoch()
                    + " masks over the sparse graph: it has a key set per member, not one for the group");
        }
        return new KeySetMessage(context.groupId(), context.epoch(), context.params().name(), publicKeyEncodings);
    }

    /**
     * The per-meter key set of a sparse epoch (docs/protocol.md, "Sparse mask graph"): recipient {@code meter}, members
     * the meter itself and exactly its row's neighbours, each with its signed key frame as the meter published it.
     */
    public KeySetMessage keySetMessageFor(String meter) {
        requireKeySet();
        if (!sparse()) {
            throw new IllegalStateException("epoch " + context.groupId() + "/" + context.epoch()
                    + " masks over the complete graph: one key set for the group");
        }
        int self = Collections.binarySearch(members, meter);
        if (self < 0) {
            throw new IllegalArgumentException("meter " + meter + " is not a member of " + context.groupId() + "/" + context.epoch());
        }
        TreeMap<String, byte[]> keys = new TreeMap<>();
        keys.put(meter, publicKeyEncodings.get(meter));
        for (int neighbour : rows()[self]) {
            String id = members.get(neighbour);
            keys.put(id, publicKeyEncodings.get(id));
        }
        return new KeySetMessage(context.groupId(), context.epoch(), context.params().name(), keys, Optional.of(meter));
    }

    /** The members of a sparse epoch's row of {@code meter} (its neighbours, in id order); for tests and the status. */
    public List<String> neighboursOf(String meter) {
        int self = Collections.binarySearch(members, meter);
        if (!sparse() || self < 0) {
            throw new IllegalArgumentException("no sparse row of " + meter + " in " + context.groupId() + "/" + context.epoch());
        }
        return java.util.Arrays.stream(rows()[self]).mapToObj(members::get).toList();
    }

    private int[][] rows() {
        if (rows == null) {
            rows = SparseGraphDraw.rows(maskGraph.orElseThrow(), context.groupId(), context.epoch(), members.size());
        }
        return rows;
    }

    private void requireKeySet() {
        if (keySet == null) {
            throw new IllegalStateException("keyset of " + context.groupId() + "/" + context.epoch() + " is not complete");
        }
    }

    /** The authentication key of a member's messages; null before its public key arrived or for non-members. */
    public MessageKey messageKey(String meter) {
        return messageKeys.get(meter);
    }

    public AggregationKey aggregationKey() {
        if (aggregationKey == null) {
            throw new IllegalStateException("aggregation key of " + context.groupId() + "/" + context.epoch() + " not derived yet");
        }
        return aggregationKey;
    }

    public GroupContext context() {
        return context;
    }

    public int stepSeconds() {
        return stepSeconds;
    }

    public List<String> members() {
        return members;
    }

    public EpochPhase phase() {
        return phase;
    }

    public OptionalLong activeFrom() {
        return activeFrom;
    }

    /**
     * The members whose key the setup waits for: their public key while ANNOUNCED, their blinded key once the key set
     * is out; none otherwise.
     */
    public List<String> membersWithoutKey() {
        return switch (phase) {
            case ANNOUNCED -> members.stream().filter(m -> !publicKeyEncodings.containsKey(m)).toList();
            case KEYSET_PUBLISHED -> members.stream().filter(m -> !blindedKeys.has(m)).toList();
            default -> List.of();
        };
    }

    public int publicKeysReceived() {
        return publicKeyEncodings.size();
    }

    /**
     * The epoch can no longer use its blinded keys (retired: no step of it can be recovered any more; or superseded):
     * lets go of the ones kept in memory. Its stored ones are the caller's to drop.
     */
    public void releaseBlindedKeys() {
        if (blindedKeys != null) {
            blindedKeys.release();
        }
    }

    /** Decoded blinded keys this epoch holds in memory (what its key setup costs the heap beyond K). */
    public int retainedBlindedKeys() {
        return blindedKeys == null ? 0 : blindedKeys.retained();
    }

    public int blindedKeysReceived() {
        return blindedKeys == null ? 0 : blindedKeys.received();
    }

    @Override
    public String toString() {
        return "EpochKeySetup[" + context.groupId() + "/" + context.epoch() + ", phase=" + phase + ", members=" + members.size() + "]";
    }
}
