package org.psametering.headend.membership;

import java.time.Instant;

/**
 * One change of a group's membership, as stored in the membership log and shown over HTTP. {@code epoch} is the
 * epoch whose key setup the change started (the first epoch without a dropped meter, with a re-admitted one).
 */
public record MembershipEvent(String group, long seq, Instant at, String meter, Change change, long epoch, String reason) {
    /** What happened to the member. */
    public enum Change {
        /** Absent too long: left out of the next epoch. */
        DROPPED,
        /** A dropped member was heard again: back in the next epoch. */
        READMITTED,
        /** Added to the configured member list (config reload or {@code updateGroup}). */
        ADDED,
        /** Removed from the configured member list. */
        REMOVED
    }

    public MembershipEvent {
        if (reason.length() > 200) {
            reason = reason.substring(0, 200);
        }
    }
}
