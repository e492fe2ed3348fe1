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
 * @param keySetupThreads {@code trust.keySetupThreads}: threads for a key set's per-member work: signature checks, then agreements and masks (at least 1)
 */
public record MeterTrust(SigningIdentity identity, IdentityVerifier verifier, String headEndName, int minGroupSize,
                         int keySetupThreads) {

    /** The default {@code group.minMembers}. */
    public static final int DEFAULT_MIN_GROUP_SIZE = 5;

    public MeterTrust {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(headEndName, "headEndName");
        if (keySetupThreads < 1) {
            throw new IllegalArgumentException("trust.keySetupThreads must be at least 1, was " + keySetupThreads);
        }
        if (minGroupSize < 1) {
            throw new IllegalArgumentException("group.minMembers must be at least 1, was " + minGroupSize);
        }
    }

    /** With the default parallelism: one thread per available processor. */
    public MeterTrust(SigningIdentity identity, IdentityVerifier verifier, String headEndName, int minGroupSize) {
        this(identity, verifier, headEndName, minGroupSize, DEFAULT_KEY_SETUP_THREADS);
    }

    /** The default {@code trust.keySetupThreads}: the processors this JVM may use (4 on a Raspberry Pi 4). */
    public static final int DEFAULT_KEY_SETUP_THREADS = Runtime.getRuntime().availableProcessors();

    public MeterTrust withMinGroupSize(int minimum) {
        return new MeterTrust(identity, verifier, headEndName, minimum, keySetupThreads);
    }

    public MeterTrust withKeySetupThreads(int threads) {
        return new MeterTrust(identity, verifier, headEndName, minGroupSize, threads);
    }
}
