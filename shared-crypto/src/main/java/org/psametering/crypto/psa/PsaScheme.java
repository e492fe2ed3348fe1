package org.psametering.crypto.psa;

/**
 * Version of the construction on top of the PRF: how a reading is encoded and what the head-end can do with the
 * ciphertexts. Part of a parameter set, so that the set's wire id (hashed into H(t) and every mask) names it.
 */
public enum PsaScheme {

    /**
     * lwr-psa/v1: c = F(k, t) + N * x. The rounding error of a complete aggregate is one-sided, in [-(N-1), 0]; a step
     * with a missing meter cannot be decrypted.
     */
    V1,

    /**
     * lwr-psa/v2, recoverable: c = F(k, t) + 2N * x. The doubled scale also absorbs the two-sided error
     * [-(|S|-1), |S|] of a step recovered over a reporting set S (shared-crypto/README.md, section 11).
     */
    V2_RECOVERABLE;

    /** The encoding scale Delta for a group of groupSize meters: N for v1, 2N for v2. */
    public long scale(int groupSize) {
        return this == V1 ? groupSize : 2L * groupSize;
    }

    public boolean supportsRecovery() {
        return this == V2_RECOVERABLE;
    }
}
