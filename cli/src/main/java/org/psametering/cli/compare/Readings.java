package org.psametering.cli.compare;

import java.util.SplittableRandom;

/**
 * The readings both schemes encrypt: readings[label][client], uniform in [0, maxValue], reproducible from the seed,
 * and the true sum per label that each decryption is checked against.
 */
record Readings(long[][] values, long[] trueSums) {

    static Readings generate(int clients, int labels, long maxValue, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[][] values = new long[labels][clients];
        long[] sums = new long[labels];
        for (int l = 0; l < labels; l++) {
            for (int c = 0; c < clients; c++) {
                values[l][c] = random.nextLong(maxValue + 1);
                sums[l] += values[l][c];
            }
        }
        return new Readings(values, sums);
    }

    int clients() {
        return values[0].length;
    }

    int labels() {
        return values.length;
    }

    /** Labels are 1..L: any increasing sequence would do; both schemes use the same. */
    static long label(int index) {
        return index + 1L;
    }
}
