package org.psametering.meter.agent;

/**
 * Why a meter did not believe a head-end message or a key set (counted per reason in {@link MeterStats}). On any of
 * these the meter derives no mask and sends no blinded key or recovery answer for that message.
 */
public enum TrustRefusal {
    /** Not a signed envelope (e.g. an unsigned protocol-v1 payload), or one of the wrong kind or shape. */
    UNSIGNED,
    /** The head-end certificate is not valid for the configured head-end name (CA, validity, CRL, role, CN). */
    HEAD_END_CERTIFICATE,
    /** The head-end signature does not verify under its certificate's key. */
    HEAD_END_SIGNATURE,
    /** A member's entry in the key set is not a signed key frame. */
    MEMBER_KEY_MALFORMED,
    /** A member's certificate is not a valid meter certificate for that member id (other than revoked). */
    MEMBER_CERTIFICATE,
    /** A member's certificate is on the CRL. */
    MEMBER_REVOKED,
    /** A member's signature over its key (bound to group, epoch, meter id and parameter set) does not verify. */
    MEMBER_SIGNATURE,
    /** Two members carry the same X25519 key. */
    DUPLICATE_KEY,
    /** This meter is missing from the key set, or its key there is not the one it published. */
    OWN_KEY,
    /** The key set's size or parameter set differs from the announcement this meter joined. */
    KEY_SET_MISMATCH,
    /** Fewer members than this meter's {@code group.minMembers}. */
    GROUP_TOO_SMALL,
    /** More members than {@code group.maxMembers}. */
    GROUP_TOO_LARGE,
    /**
     * The kind of key set does not fit the epoch's mask graph: the whole group's key set for a sparse-graph epoch, or a
     * per-meter key set for a complete-graph epoch (blinding over the wrong set of pairs would break K or leak).
     */
    KEY_SET_WRONG_GRAPH,
    /** A per-meter key set for another meter: its topic's meter or its signed recipient is not this meter. */
    KEY_SET_WRONG_RECIPIENT,
    /** A per-meter key set whose members are not exactly this meter and its neighbours in the announced graph. */
    NEIGHBOURS_MISMATCH
}
