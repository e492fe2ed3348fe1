package org.psametering.meter.agent;

import java.util.Objects;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.SigningIdentity;

/**
 * What a meter trusts and signs with: its own identity (signs its epoch public keys), the verifier of certificates
 * against its provisioning CA (and CRL), the name the head-end's certificate must carry, and the smallest group it
 * joins or answers for.
 *
 * @param minGroupSize {@code group.minMembers}: a key setup or key set of fewer members is refused, so that nobody
 *                     (the head-end included) can shrink a group until its sum is one household's reading
 */
public record MeterTrust(SigningIdentity identity, IdentityVerifier verifier, String headEndName, int minGroupSize) {

    /** The default {@code group.minMembers}. */
    public static final int DEFAULT_MIN_GROUP_SIZE = 5;

    public MeterTrust {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(headEndName, "headEndName");
        if (minGroupSize < 1) {
            throw new IllegalArgumentException("group.minMembers must be at least 1, was " + minGroupSize);
        }
    }

    public MeterTrust withMinGroupSize(int minimum) {
        return new MeterTrust(identity, verifier, headEndName, minimum);
    }
}
