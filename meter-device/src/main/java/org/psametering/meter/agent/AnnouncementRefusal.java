package org.psametering.meter.agent;

/** Why a meter did not act on a group announcement (counted per reason in {@link MeterStats}). */
public enum AnnouncementRefusal {
    /** The announcement names another group. */
    WRONG_GROUP,
    /** The parameter set is not one this build knows. */
    UNKNOWN_PARAMS,
    /** The head-end public key is not a valid X25519 key encoding. */
    BAD_HEAD_END_KEY,
    /** More members than {@link AnnouncementLimits#maxMembers()}. */
    TOO_MANY_MEMBERS,
    /** This meter is not in the member list (it waits for an epoch that includes it). */
    NOT_A_MEMBER,
    /** The epoch is more than {@link AnnouncementLimits#maxEpochAdvance()} above the newest active one. */
    EPOCH_TOO_FAR,
    /** The epoch is not above the newest active one, and this meter has no keys for it. */
    STALE_EPOCH,
    /** ACTIVE for an epoch this meter holds no keys for (data directory lost, or a forgery). */
    ACTIVE_WITHOUT_KEYS,
    /** Same epoch number as one this meter joined, but another head-end key, member count or parameter set. */
    CHANGED_WITHOUT_NEW_EPOCH,
    /**
     * ACTIVE for an epoch whose key set this meter has not answered yet: the head-end cannot hold the aggregation key
     * without this meter's blinded key (which is saved as sent before it leaves), so the announcement is not real.
     */
    ACTIVE_BEFORE_BLINDED_KEY,
    /** ACTIVE whose first step starts at an instant that cannot be represented. */
    BAD_ACTIVE_FROM,
    /**
     * A sparse mask graph whose threshold is below what this meter's own graph parameters require for the announced
     * member count (shared-crypto README section 13.3).
     */
    SPARSE_GRAPH_TOO_WEAK,
    /** This meter's row of the announced sparse graph has fewer neighbours than its configured minimum (13.3). */
    SPARSE_ROW_TOO_SMALL
}
