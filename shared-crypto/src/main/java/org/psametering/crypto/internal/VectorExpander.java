package org.psametering.crypto.internal;

/**
 * Expands a 32-byte seed into a pseudorandom byte stream that is read as a vector in Z_q^n (q = 2^128): element j is
 * bytes [16j, 16j+16), big-endian. Because q is a power of two, every 16-byte string is a uniform element, so no
 * rejection sampling is needed.
 *
 * <p>The stream can be produced in one call ({@link #expand}) or chunk by chunk ({@link #start}, then {@link #next}
 * repeatedly), which lets the PRF consume it while it is still in the L1 cache. Instances keep a cipher/digest object
 * and are not thread-safe; create one per thread or per use.
 */
public sealed interface VectorExpander permits AesCtrExpander, Shake128Expander {

    int SEED_BYTES = 32;

    /** Starts a new stream for seed (exactly SEED_BYTES long). */
    void start(byte[] seed);

    /** Writes the next length bytes of the current stream to out[offset, offset + length). */
    void next(byte[] out, int offset, int length);

    /** Fills out[0, length) with the expansion of seed. */
    default void expand(byte[] seed, byte[] out, int length) {
        start(seed);
        next(out, 0, length);
    }

    /** Which construction this is; part of the documented specification. */
    String name();

    /** AES-256 in counter mode, key = seed, initial counter block = 0^128, keystream = the output. */
    static VectorExpander aesCtr() {
        return new AesCtrExpander();
    }

    /** SHAKE128(seed), first length bytes. */
    static VectorExpander shake128() {
        return new Shake128Expander();
    }

    /** The construction the scheme uses (chosen by benchmark; see shared-crypto/README.md). */
    static VectorExpander standard() {
        return aesCtr();
    }

    static void requireSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("expander seed must be " + SEED_BYTES + " bytes");
        }
    }
}
