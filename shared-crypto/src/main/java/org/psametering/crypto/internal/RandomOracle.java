package org.psametering.crypto.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * H(t): the random oracle into Z_q^n. seed = SHA3-256(domain input), then the seed is expanded to 16n bytes.
 * The exact byte layout is specified in shared-crypto/README.md ("H(t)").
 *
 * <p>Holds an expander, a digest and buffers, so it is not thread-safe.
 */
public final class RandomOracle {

    /** Identifies this scheme and version of the construction inside every hashed input. */
    public static final String SCHEME_ID = "psa-metering/lwr-psa/H/v1";

    /** Elements per chunk of the fused PRF: 4 KiB of stream stays in L1 between expansion and use. */
    private static final int CHUNK_ELEMENTS = 256;

    private final VectorExpander expander;
    private final MessageDigest sha3;
    private final int n;
    private byte[] buffer;
    private final byte[] chunk = new byte[16 * CHUNK_ELEMENTS];
    private final InnerProduct innerProduct = new InnerProduct();
    /** Hashed input of the last call: prefix for (cached*) followed by the 8-byte label. */
    private byte[] input;
    private int cachedParamId;
    private String cachedParamName;
    private String cachedGroupId;
    private long cachedEpoch;

    public RandomOracle(VectorExpander expander, int n) {
        this.expander = expander;
        this.n = n;
        try {
            this.sha3 = MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA3-256", e);
        }
    }

    /** The 32-byte seed from which H(t) is expanded. */
    public byte[] seed(int paramId, String paramName, String groupId, long epoch, long label) {
        if (input == null || paramId != cachedParamId || epoch != cachedEpoch || !paramName.equals(cachedParamName)
                || !groupId.equals(cachedGroupId)) {
            // an encryptor or aggregator asks for one group only: build the label-independent prefix once
            byte[] prefix = new DomainInput()
                    .string(SCHEME_ID)
                    .u16(paramId)
                    .string(paramName)
                    .string(groupId)
                    .u64(epoch)
                    .toByteArray();
            input = java.util.Arrays.copyOf(prefix, prefix.length + Long.BYTES);
            cachedParamId = paramId;
            cachedParamName = paramName;
            cachedGroupId = groupId;
            cachedEpoch = epoch;
        }
        ZqVector.BE_LONG.set(input, input.length - Long.BYTES, label);
        return sha3.digest(input);
    }

    /**
     * Expands H(t) into an internal buffer and returns it (valid until the next call): 16n bytes, element j at
     * [16j, 16j+16) big-endian.
     */
    public byte[] expand(int paramId, String paramName, String groupId, long epoch, long label) {
        if (buffer == null) {
            buffer = new byte[16 * n];
        }
        expander.expand(seed(paramId, paramName, groupId, epoch, label), buffer, buffer.length);
        return buffer;
    }

    /**
     * F(key, t) = floor(<H(t), key> * p / q) into out[0] (high word) and out[1] (low word), consuming H(t) chunk by
     * chunk as it is generated (same value as expanding fully first).
     */
    public void prf(int paramId, String paramName, String groupId, long epoch, long label, ZqVector key, int logP,
                    long[] out) {
        if (key.dimension() != n) {
            throw new IllegalArgumentException("key dimension " + key.dimension() + " is not n = " + n);
        }
        expander.start(seed(paramId, paramName, groupId, epoch, label));
        innerProduct.reset();
        for (int first = 0; first < n; first += CHUNK_ELEMENTS) {
            int count = Math.min(CHUNK_ELEMENTS, n - first);
            expander.next(chunk, 0, 16 * count);
            innerProduct.accumulate(chunk, 0, count, key, first);
        }
        innerProduct.finish(logP, out);
    }
}
