package org.psametering.crypto.keysetup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.psametering.crypto.internal.DomainInput;
import org.psametering.crypto.internal.HkdfSha256;

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

    /** Blocks per ECB call in {@link #row} and {@link #rows}: 4 KiB runs. */
    private static final int RUN_BLOCKS = 256;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
        return HkdfSha256.derive(seed, null, info, 32);
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
     * The neighbours of member self, ascending: N - 1 AES blocks, encrypted in ECB runs of {@value #RUN_BLOCKS}
     * blocks (each block is an independent PRF evaluation, so ECB is exactly what is meant here; runs keep the
     * buffers in the first-level cache instead of two buffers of 16(N - 1) bytes).
     */
    public int[] row(int self) {
        check(self);
        Cipher aes = cipher();
        byte[] in = new byte[16 * RUN_BLOCKS];
        byte[] out = new byte[16 * RUN_BLOCKS];
        Neighbours row = new Neighbours();
        int[] others = new int[RUN_BLOCKS];
        for (int from = 0; from < size; ) {
            int blocks = 0;
            for (; from < size && blocks < RUN_BLOCKS; from++) {
                if (from != self) {
                    put(in, 16 * blocks, Math.min(self, from), Math.max(self, from));
                    others[blocks++] = from;
                }
            }
            encrypt(aes, in, out, blocks);
            for (int k = 0; k < blocks; k++) {
                if (below(out, 16 * k)) {
                    row.add(others[k]);
                }
            }
        }
        return row.toArray();
    }

    /**
     * Every member's row (element i is {@link #row(int) row(i)}), for the head-end: each pair {a, b} is evaluated
     * once, N(N - 1)/2 AES blocks instead of the N(N - 1) of calling row(i) for every i.
     */
    public int[][] rows() {
        Cipher aes = cipher();
        byte[] in = new byte[16 * RUN_BLOCKS];
        byte[] out = new byte[16 * RUN_BLOCKS];
        Neighbours[] rows = new Neighbours[size];
        for (int i = 0; i < size; i++) {
            rows[i] = new Neighbours();
        }
        // a ascending: row b receives its lower neighbours a in ascending order before its own higher ones
        for (int a = 0; a < size - 1; a++) {
            for (int from = a + 1; from < size; from += RUN_BLOCKS) {
                int blocks = Math.min(RUN_BLOCKS, size - from);
                for (int k = 0; k < blocks; k++) {
                    put(in, 16 * k, a, from + k);
                }
                encrypt(aes, in, out, blocks);
                for (int k = 0; k < blocks; k++) {
                    if (below(out, 16 * k)) {
                        rows[a].add(from + k);
                        rows[from + k].add(a);
                    }
                }
            }
        }
        int[][] result = new int[size][];
        for (int i = 0; i < size; i++) {
            result[i] = rows[i].toArray();
        }
        return result;
    }

    /** A growing list of member indices. */
    private static final class Neighbours {
        private int[] items = new int[64];
        private int count;

        void add(int index) {
            if (count == items.length) {
                items = Arrays.copyOf(items, 2 * count);
            }
            items[count++] = index;
        }

        int[] toArray() {
            return Arrays.copyOf(items, count);
        }
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("member index " + index + " outside 0.." + (size - 1));
        }
    }

    private boolean below(byte[] out, int offset) {
        return Long.compareUnsigned((long) BIG_ENDIAN_LONG.get(out, offset), threshold) < 0;
    }

    private static void put(byte[] buffer, int offset, long a, long b) {
        BIG_ENDIAN_LONG.set(buffer, offset, a);
        BIG_ENDIAN_LONG.set(buffer, offset + 8, b);
    }

    private Cipher cipher() {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, graphKey);
            return aes;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 unavailable in this JDK", e);
        }
    }

    private byte[] encrypt(byte[] blocks) {
        try {
            return cipher().doFinal(blocks);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 unavailable in this JDK", e);
        }
    }

    /** out = the first {@code blocks} blocks of in, encrypted; aes stays ready for the next run (doFinal resets it). */
    private static void encrypt(Cipher aes, byte[] in, byte[] out, int blocks) {
        try {
            int written = aes.doFinal(in, 0, 16 * blocks, out, 0);
            if (written != 16 * blocks) {
                throw new IllegalStateException("AES-ECB produced " + written + " of " + 16 * blocks + " bytes");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 unavailable in this JDK", e);
        }
    }
}
