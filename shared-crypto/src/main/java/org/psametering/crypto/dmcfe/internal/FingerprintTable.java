package org.psametering.crypto.dmcfe.internal;

import java.util.Arrays;

/**
 * An append-only multimap from 64-bit fingerprints to non-negative int values in two primitive arrays (open
 * addressing, linear probing): 12 bytes per slot, 24..48 per entry, instead of ~80 for a boxed HashMap entry, which is what
 * lets a baby-step table of 10^5..10^7 entries stay small. Equal keys are kept side by side, so callers see every
 * candidate of a fingerprint collision and confirm each one.
 */
public final class FingerprintTable {

    private static final int EMPTY = -1;
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    /** A table that holds up to {@code capacity} entries at a load factor of at most 1/2. */
    public FingerprintTable(int capacity) {
        if (capacity < 1 || capacity > (1 << 27)) {
            throw new IllegalArgumentException("fingerprint table capacity must be 1..2^27, got " + capacity);
        }
        int slots = Integer.highestOneBit(2 * capacity - 1) << 1; // smallest power of two >= 2 * capacity
        keys = new long[slots];
        values = new int[slots];
        Arrays.fill(values, EMPTY);
        mask = slots - 1;
    }

    public void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be non-negative, got " + value);
        }
        if (2L * (size + 1) > keys.length) {
            throw new IllegalStateException("fingerprint table is full (" + size + " entries)");
        }
        int slot = slotOf(key);
        while (values[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
    }

    /**
     * Calls {@code visitor} with each value stored under {@code key}, in insertion order, until it returns
     * true; returns that value, or -1 when none was accepted.
     */
    public int find(long key, Candidate visitor) {
        int slot = slotOf(key);
        while (values[slot] != EMPTY) {
            if (keys[slot] == key && visitor.accept(values[slot])) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    public int size() {
        return size;
    }

    /** Bytes held by the two arrays. */
    public long memoryBytes() {
        return (long) keys.length * (Long.BYTES + Integer.BYTES);
    }

    private int slotOf(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // spread keys whose low bits are not uniform
        return (int) (h >>> 32) & mask;
    }

    /** Confirms (or rejects) one candidate value. */
    @FunctionalInterface
    public interface Candidate {
        boolean accept(int value);
    }
}
