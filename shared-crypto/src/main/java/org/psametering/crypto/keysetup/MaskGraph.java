package org.psametering.crypto.keysetup;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.psametering.crypto.internal.DomainInput;

/**
 * The sparse mask graph {@code mask-graph/v1} (README section 13): members sorted by id get indices 0..N-1; edge
 * {a, b} (a &lt; b) exists iff the first 8 bytes of AES-256_gk(u64(a) || u64(b)), read as an unsigned big-endian
 * integer, are below the threshold. gk comes from a public seed, so every meter and the head-end compute the same
 * graph from the signed announcement alone; a meter computes its own row with N - 1 AES blocks.
 */
public final class MaskGraph {

    public static final String DOMAIN = "psa-metering/mask-graph/v1";
    public static final int SEED_BYTES = 32;

    private final byte[] graphKey;
    private final int size;
    private final long threshold;

    private MaskGraph(byte[] graphKey, int size, long threshold) {
        this.graphKey = graphKey;
        this.size = size;
        this.threshold = threshold;
    }

    /**
     * @param threshold unsigned 64-bit threshold = floor(p * 2^64) (the edge probability p, encoded exactly)
     * @throws IllegalArgumentException if the seed is not 32 bytes or size is below 2
     */
    public static MaskGraph of(byte[] seed, String groupId, long epoch, int size, long threshold) {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(groupId, "groupId");
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("mask-graph seed must be " + SEED_BYTES + " bytes, was " + seed.length);
        }
        if (size < 2) {
            throw new IllegalArgumentException("mask graph needs at least 2 members, was " + size);
        }
        return new MaskGraph(graphKey(seed, groupId, epoch, size), size, threshold);
    }

    /** gk = HKDF-SHA256(salt = none, IKM = seed, info = str(DOMAIN) || str(g) || u64(e) || u32(N), L = 32). */
    static byte[] graphKey(byte[] seed, String groupId, long epoch, int size) {
        byte[] info = new DomainInput().string(DOMAIN).string(groupId).u64(epoch).u32(size).toByteArray();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, null, info));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    public int size() {
        return size;
    }

    public long threshold() {
        return threshold;
    }

    /** Whether {a, b} is an edge (a != b, both in 0..N-1). */
    public boolean edge(int a, int b) {
        checkIndex(a);
        checkIndex(b);
        if (a == b) {
            throw new IllegalArgumentException("no self edge: " + a);
        }
        byte[] block = new byte[16];
        put(block, 0, Math.min(a, b), Math.max(a, b));
        return below(encrypt(block), 0);
    }

    /** The neighbours of member a, ascending: one AES block per other member, encrypted in one batch. */
    public int[] row(int a) {
        checkIndex(a);
        byte[] blocks = new byte[16 * (size - 1)];
        int slot = 0;
        for (int b = 0; b < size; b++) {
            if (b != a) {
                put(blocks, 16 * slot++, Math.min(a, b), Math.max(a, b));
            }
        }
        byte[] out = encrypt(blocks);
        int[] row = new int[size - 1];
        int count = 0;
        slot = 0;
        for (int b = 0; b < size; b++) {
            if (b != a && below(out, 16 * slot++)) {
                row[count++] = b;
            }
        }
        return Arrays.copyOf(row, count);
    }

    private boolean below(byte[] out, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (out[offset + i] & 0xFF);
        }
        return Long.compareUnsigned(v, threshold) < 0;
    }

    private static void put(byte[] blocks, int offset, long lower, long higher) {
        for (int i = 0; i < 8; i++) {
            blocks[offset + i] = (byte) (lower >>> (56 - 8 * i));
            blocks[offset + 8 + i] = (byte) (higher >>> (56 - 8 * i));
        }
    }

    private byte[] encrypt(byte[] blocks) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(graphKey, "AES"));
            return aes.doFinal(blocks);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 unavailable", e);
        }
    }

    private void checkIndex(int a) {
        if (a < 0 || a >= size) {
            throw new IllegalArgumentException("member index " + a + " outside 0.." + (size - 1));
        }
    }
}
