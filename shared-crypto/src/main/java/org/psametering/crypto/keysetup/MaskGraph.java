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
 * The sparse mask graph {@code mask-graph/v1} (shared-crypto README section 13): members sorted by id get indices
 * 0..N-1; the pair {a, b} (a &lt; b) is an edge iff the first 8 bytes of AES-256_gk(u64(a) || u64(b)), read as an
 * unsigned big-endian integer, are below the threshold. gk is derived from the head-end's public seed, group, epoch
 * and N, so the graph depends only on public data and every meter and the head-end compute the same edges; a meter
 * computes its own row (N - 1 AES blocks) without anybody's help. Public data only: nothing here is secret.
 */
public final class MaskGraph {

    /** The construction's version id, bound into gk. */
    public static final String DOMAIN = "psa-metering/mask-graph/v1";
    public static final int SEED_BYTES = 32;

    private final int size;
    private final long threshold;
    private final SecretKeySpec graphKey;

    private MaskGraph(int size, long threshold, byte[] gk) {
        this.size = size;
        this.threshold = threshold;
        this.graphKey = new SecretKeySpec(gk, "AES");
    }

    /**
     * @param seed      the head-end's 32 random bytes from the signed announcement
     * @param threshold an unsigned 64-bit integer; the edge probability is threshold / 2^64
     * @throws IllegalArgumentException if the seed is not 32 bytes or size is below 2
     */
    public static MaskGraph of(GraphSpec spec, String groupId, long epoch, int size) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(groupId, "groupId");
        if (size < 2) {
            throw new IllegalArgumentException("a mask graph needs at least 2 members, got " + size);
        }
        return new MaskGraph(size, spec.threshold(), graphKey(spec.seed(), groupId, epoch, size));
    }

    /** gk = HKDF-SHA256(salt = none, IKM = seed, info = str(DOMAIN) || str(group) || u64(epoch) || u32(N), L = 32). */
    static byte[] graphKey(byte[] seed, String groupId, long epoch, int size) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("graph seed must be " + SEED_BYTES + " bytes, was " + seed.length);
        }
        byte[] info = new DomainInput().string(DOMAIN).string(groupId).u64(epoch).u32(size).toByteArray();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, null, info));
        byte[] gk = new byte[32];
        hkdf.generateBytes(gk, 0, gk.length);
        return gk;
    }

    public int size() {
        return size;
    }

    public long threshold() {
        return threshold;
    }

    /** Whether members a and b (indices, a != b, either order) share a mask. */
    public boolean edge(int a, int b) {
        check(a);
        check(b);
        if (a == b) {
            throw new IllegalArgumentException("no edge from a member to itself: " + a);
        }
        byte[] block = new byte[16];
        put(block, 0, Math.min(a, b), Math.max(a, b));
        return below(encrypt(block), 0);
    }

    /**
     * The neighbours of member self, ascending: N - 1 AES blocks in one ECB call over one buffer (each block is an
     * independent PRF evaluation, so ECB is exactly what is meant here).
     */
    public int[] row(int self) {
        check(self);
        byte[] blocks = new byte[16 * (size - 1)];
        int offset = 0;
        for (int other = 0; other < size; other++) {
            if (other != self) {
                put(blocks, offset, Math.min(self, other), Math.max(self, other));
                offset += 16;
            }
        }
        byte[] out = encrypt(blocks);
        int[] row = new int[size - 1];
        int count = 0;
        offset = 0;
        for (int other = 0; other < size; other++) {
            if (other != self) {
                if (below(out, offset)) {
                    row[count++] = other;
                }
                offset += 16;
            }
        }
        return Arrays.copyOf(row, count);
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("member index " + index + " outside 0.." + (size - 1));
        }
    }

    private boolean below(byte[] out, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (out[offset + i] & 0xFF);
        }
        return Long.compareUnsigned(v, threshold) < 0;
    }

    private static void put(byte[] buffer, int offset, long a, long b) {
        for (int i = 0; i < 8; i++) {
            buffer[offset + i] = (byte) (a >>> (56 - 8 * i));
            buffer[offset + 8 + i] = (byte) (b >>> (56 - 8 * i));
        }
    }

    private byte[] encrypt(byte[] blocks) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, graphKey);
            return aes.doFinal(blocks);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 unavailable in this JDK", e);
        }
    }
}
