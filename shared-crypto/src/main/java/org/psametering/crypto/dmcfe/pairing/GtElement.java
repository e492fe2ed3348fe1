package org.psametering.crypto.dmcfe.pairing;

/** An immutable element of the target group GT (written multiplicatively). */
public interface GtElement {

    GtElement multiply(GtElement other);

    GtElement inverse();

    /** this^exponent for a small non-negative exponent (discrete-log tables step with these). */
    GtElement pow(long exponent);

    /**
     * A 64-bit digest of the element's canonical form: equal elements have equal fingerprints; unequal ones
     * collide with negligible but non-zero probability, so users must confirm a match with {@link #equals}.
     */
    long fingerprint();
}
