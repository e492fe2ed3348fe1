package org.psametering.headend.core;

/** Why an inbound message was refused. Each reason has its own counter (API and metrics). */
public enum RejectReason {
    /** Topic or payload does not follow the protocol (framing, encoding, wrong parameter set, label/topic mismatch). */
    MALFORMED,
    /** The topic names a group this head-end does not manage. */
    UNKNOWN_GROUP,
    /** The topic names a meter that is not a member of the group's epoch. */
    UNKNOWN_METER,
    /** The topic's epoch is unknown, not active, or not the one that covers the ciphertext's label. */
    WRONG_EPOCH,
    /** A second ciphertext for a (meter, label) already collected, or a changed key after the keyset was fixed. */
    DUPLICATE,
    /** The authentication tag does not verify. */
    FORGED,
    /** The label lies before the accepted late window. */
    TOO_OLD,
    /** The label lies more than one step in the future. */
    TOO_NEW,
    /** A key-setup message that does not fit the epoch's current phase (e.g. a blinded key before the keyset). */
    OUT_OF_PHASE,
    /**
     * A ciphertext for a label whose recovery was requested (or done): accepting it would reveal that meter's reading
     * as the difference between the recovered sum and a later one (docs/protocol.md, "Recovery").
     */
    AFTER_RECOVERY,
    /** A recovery answer for a label not being recovered, for another request, or from a meter listed missing. */
    UNEXPECTED_ANSWER,
    /** A member's epoch public key whose signature does not verify under its (valid) certificate, e.g. a replay. */
    BAD_SIGNATURE,
    /**
     * A member's epoch public key whose certificate is not a valid meter certificate of the trusted CA for that meter
     * id (unknown CA, expired, revoked, wrong role or name, unparseable).
     */
    UNTRUSTED_CERTIFICATE
}
