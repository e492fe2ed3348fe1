package org.psametering.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A vector in Z_q^n with q = 2^128, stored as interleaved (high, low) 64-bit words so that one element's
 * two words share a cache line. Arithmetic mod 2^128 is plain wrapping long arithmetic plus a carry.
 *
 * <p>Not API: the public key classes wrap it and never hand it out.
 */
public final class ZqVector {

    /** Big-endian view used by the expanders' byte layout (element j = bytes [16j, 16j+16), high word first). */
    static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long[] words;

    private ZqVector(long[] words) {
        this.words = words;
    }

    public static ZqVector zero(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("vector dimension must be positive, got " + n);
        }
        return new ZqVector(new long[2 * n]);
    }

    /** Reads n elements from their 16-byte big-endian encodings (the layout of the expanders and the wire format). */
    public static ZqVector fromBytes(byte[] bytes, int offset, int n) {
        ZqVector v = zero(n);
        v.addBytes(bytes, offset, +1);
        return v;
    }

    public int dimension() {
        return words.length / 2;
    }

    public long high(int i) {
        return words[2 * i];
    }

    public long low(int i) {
        return words[2 * i + 1];
    }

    /** this += other (mod 2^128 per element). */
    public void add(ZqVector other) {
        requireSameDimension(other);
        long[] w = words;
        long[] o = other.words;
        for (int i = 0; i < w.length; i += 2) {
            long lo = w[i + 1] + o[i + 1];
            long carry = Long.compareUnsigned(lo, o[i + 1]) < 0 ? 1L : 0L;
            w[i] += o[i] + carry;
            w[i + 1] = lo;
        }
    }

    /** this -= other (mod 2^128 per element). */
    public void subtract(ZqVector other) {
        requireSameDimension(other);
        long[] w = words;
        long[] o = other.words;
        for (int i = 0; i < w.length; i += 2) {
            long borrow = Long.compareUnsigned(w[i + 1], o[i + 1]) < 0 ? 1L : 0L;
            w[i + 1] -= o[i + 1];
            w[i] = w[i] - o[i] - borrow;
        }
    }

    /**
     * this += sign * (vector encoded in bytes[offset ..]); sign is +1 or -1. Used to fold an expanded mask into
     * an accumulator without materialising the mask as a vector (key setup does this once per peer).
     */
    public void addBytes(byte[] bytes, int offset, int sign) {
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1");
        }
        long[] w = words;
        if (bytes.length - offset < w.length * 8L) {
            throw new IllegalArgumentException("need " + w.length * 8 + " bytes, have " + (bytes.length - offset));
        }
        if (sign > 0) {
            for (int i = 0, p = offset; i < w.length; i += 2, p += 16) {
                long oh = (long) BE_LONG.get(bytes, p);
                long ol = (long) BE_LONG.get(bytes, p + 8);
                long lo = w[i + 1] + ol;
                long carry = Long.compareUnsigned(lo, ol) < 0 ? 1L : 0L;
                w[i] += oh + carry;
                w[i + 1] = lo;
            }
        } else {
            for (int i = 0, p = offset; i < w.length; i += 2, p += 16) {
                long oh = (long) BE_LONG.get(bytes, p);
                long ol = (long) BE_LONG.get(bytes, p + 8);
                long lo = w[i + 1] - ol;
                long borrow = Long.compareUnsigned(w[i + 1], ol) < 0 ? 1L : 0L;
                w[i] = w[i] - oh - borrow;
                w[i + 1] = lo;
            }
        }
    }

    /** Writes the 16-byte big-endian encoding of every element to out[offset ..]. */
    public void writeBytes(byte[] out, int offset) {
        long[] w = words;
        if (out.length - offset < w.length * 8L) {
            throw new IllegalArgumentException("need " + w.length * 8 + " bytes of room");
        }
        for (int i = 0, p = offset; i < w.length; i++, p += 8) {
            BE_LONG.set(out, p, w[i]);
        }
    }

    public int encodedLength() {
        return words.length * 8;
    }

    public ZqVector copy() {
        return new ZqVector(words.clone());
    }

    public boolean isZero() {
        long acc = 0;
        for (long x : words) {
            acc |= x;
        }
        return acc == 0;
    }

    /** Overwrites the contents, for secrets that are no longer needed. */
    public void wipe() {
        Arrays.fill(words, 0L);
    }

    /** Constant-time equality (the vectors may be secret). */
    public boolean contentEquals(ZqVector other) {
        if (other.words.length != words.length) {
            return false;
        }
        long diff = 0;
        for (int i = 0; i < words.length; i++) {
            diff |= words[i] ^ other.words[i];
        }
        return diff == 0;
    }

    /** Raw words for the inner-product kernel in this package. */
    long[] words() {
        return words;
    }

    /**
     * The dimension check every key class makes on construction, in one place so that their messages agree.
     *
     * @param what names the vector in the message, e.g. "blinded key"
     * @return this
     * @throws IllegalArgumentException when the dimension is not n
     */
    public ZqVector requireDimension(int n, String what) {
        if (dimension() != n) {
            throw new IllegalArgumentException(what + " dimension " + dimension() + " does not match n = " + n);
        }
        return this;
    }

    private void requireSameDimension(ZqVector other) {
        if (other.words.length != words.length) {
            throw new IllegalArgumentException(
                    "dimension mismatch: " + dimension() + " vs " + other.dimension());
        }
    }

    @Override
    public String toString() {
        return "ZqVector[n=" + dimension() + "]";
    }
}
