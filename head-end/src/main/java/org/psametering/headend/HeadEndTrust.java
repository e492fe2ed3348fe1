package org.psametering.headend;

import java.util.Objects;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.SigningIdentity;

/**
 * The head-end's identity (signs announcements, key sets and recovery requests; its certificate has Role HEAD_END and
 * the CN the meters are configured to expect) and its verifier of the meters' certificates.
 */
public record HeadEndTrust(SigningIdentity identity, IdentityVerifier members) {
    public HeadEndTrust {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(members, "members");
    }
}
