package org.psametering.crypto.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * H(t): the random oracle into Z_q^n. seed = SHA3-256(domain input), then the seed is expanded to 16n bytes.
 * The exact byte layout is specified in shared-crypto/README.md ("H(t)").
 *
 * <p>Holds an expander and a digest, so it is not thread-safe; the output buffer is reused between calls.
 */
public final class RandomOracle {

    /** Identifies this scheme and version of the construction inside every hashed input. */
    public static final String SCHEME_ID = "psa-metering/lwr-psa/H/v1";

    private final VectorExpander expander;
    private final MessageDigest sha3;
    private final byte[] buffer;

    public RandomOracle(VectorExpander expander, int n) {
        this.expander = expander;
        this.buffer = new byte[16 * n];
        try {
            this.sha3 = MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA3-256", e);
        }
    }

    /** The 32-byte seed from which H(t) is expanded. */
    public byte[] seed(int paramId, String paramName, String groupId, long epoch, long label) {
        byte[] input = new DomainInput()
                .string(SCHEME_ID)
                .u16(paramId)
                .string(paramName)
                .string(groupId)
                .u64(epoch)
                .u64(label)
                .toByteArray();
        return sha3.digest(input);
    }

    /**
     * Expands H(t) into the internal buffer and returns it (valid until the next call): 16n bytes, element j at
     * [16j, 16j+16) big-endian.
     */
    public byte[] expand(int paramId, String paramName, String groupId, long epoch, long label) {
        expander.expand(seed(paramId, paramName, groupId, epoch, label), buffer, buffer.length);
        return buffer;
    }
}
