package org.psametering.meter.agent;

import java.util.Optional;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.MeterState;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;

/**
 * Decides whether an announcement may be acted on, completely, before anything is generated, saved or published:
 * this group, a known parameter set, a head-end key that decodes as X25519, a bounded member list that contains this
 * meter, an epoch number within reach of the newest active one, for ACTIVE a representable start instant, and for a
 * sparse mask graph one strong enough for this meter ({@link SparseGraphCheck}).
 * (The codec already checks the JSON shape, sorted unique ids and 1 <= stepSeconds <= 86400.)
 */
final class AnnouncementCheck {

    private final String meterId;
    private final String groupId;
    private final AnnouncementLimits limits;
    private final SparseGraphCheck sparse;

    AnnouncementCheck(String meterId, String groupId, AnnouncementLimits limits) {
        this(meterId, groupId, limits, new SparseGraphCheck(meterId, limits.sparseGraph(), limits.minimumRow()));
    }

    AnnouncementCheck(String meterId, String groupId, AnnouncementLimits limits, SparseGraphCheck sparse) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.limits = limits;
        this.sparse = sparse;
    }

    /**
     * @return this meter's row of the announced sparse mask graph (checked), or empty for the complete graph
     * @throws RefusedAnnouncement naming the first reason the announcement cannot be believed
     */
    Optional<SparseGraphCheck.Row> check(GroupAnnouncement a, MeterState state) {
        if (!a.group().equals(groupId)) {
            throw new RefusedAnnouncement(AnnouncementRefusal.WRONG_GROUP, "announcement names group " + LogText.cut(a.group()));
        }
        try {
            PsaParameters.byName(a.params());
        } catch (IllegalArgumentException e) {
            throw new RefusedAnnouncement(AnnouncementRefusal.UNKNOWN_PARAMS, "unknown parameter set " + LogText.cut(a.params()));
        }
        try {
            Encodings.decodePublicKey(a.headEndPublicKey());
        } catch (MalformedEncodingException | IllegalArgumentException e) {
            throw new RefusedAnnouncement(AnnouncementRefusal.BAD_HEAD_END_KEY, "epoch " + a.epoch()
                    + ": head-end public key is not an X25519 key encoding (" + a.headEndPublicKey().length + " bytes)");
        }
        if (a.members().size() > limits.maxMembers()) {
            throw new RefusedAnnouncement(AnnouncementRefusal.TOO_MANY_MEMBERS, "epoch " + a.epoch() + " lists "
                    + a.members().size() + " members, more than group.maxMembers " + limits.maxMembers());
        }
        if (!a.members().contains(meterId)) {
            throw new RefusedAnnouncement(AnnouncementRefusal.NOT_A_MEMBER, "not a member of epoch " + a.epoch() + "; waiting");
        }
        // refuses a graph too weak for this meter's own assumptions, or a row too small
        Optional<SparseGraphCheck.Row> row = a.sparse() ? Optional.of(sparse.row(a)) : Optional.empty();
        if (a.phase() == GroupPhase.ACTIVE) {
            long from = a.activeFromLabel().orElseThrow();
            if (Math.multiplyHigh(from, a.stepSeconds()) != 0 || from * a.stepSeconds() < 0) {
                throw new RefusedAnnouncement(AnnouncementRefusal.BAD_ACTIVE_FROM, "epoch " + a.epoch()
                        + ": activeFromLabel " + from + " of " + a.stepSeconds() + " s steps is beyond any clock");
            }
        }
        if (state.epoch(a.epoch()).isPresent()) {
            return row; // one this meter joined: the joiner compares it with what it saved
        }
        long newestActive = state.newestActive().map(EpochState::epoch).orElse(-1L);
        if (a.epoch() <= newestActive) {
            throw new RefusedAnnouncement(AnnouncementRefusal.STALE_EPOCH, "epoch " + a.epoch()
                    + " is not after the active epoch " + newestActive);
        }
        // subtraction cannot overflow: both are >= -1 (an epoch is never negative)
        if (newestActive >= 0 && a.epoch() - newestActive > limits.maxEpochAdvance()) {
            throw new RefusedAnnouncement(AnnouncementRefusal.EPOCH_TOO_FAR, "epoch " + a.epoch() + " is more than "
                    + limits.maxEpochAdvance() + " above the active epoch " + newestActive + " (group.maxEpochAdvance)");
        }
        if (a.phase() == GroupPhase.ACTIVE) {
            throw new RefusedAnnouncement(AnnouncementRefusal.ACTIVE_WITHOUT_KEYS, "epoch " + a.epoch() + " of group "
                    + groupId + " is active but this meter holds no key for it (data directory lost?); it can take part"
                    + " again once the head-end starts a new epoch");
        }
        return row;
    }
}
