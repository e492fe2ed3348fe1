package org.psametering.hardware.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WrappingCounterTest {

    @Test
    void sixteenBitCounterWrapsIntoLongTotal() {
        WrappingCounter c = new WrappingCounter(1 << 16);
        assertEquals(0, c.update(65_000));
        assertEquals(535, c.update(65_535));
        assertEquals(536, c.update(0), "wrap from 65535 to 0 is one step");
        assertEquals(1_036, c.update(500));
        long total = 1_036;
        for (int lap = 0; lap < 40_000; lap++) { // 40000 laps of 2^16 would overflow an int total
            total += (1 << 16) / 2;
            c.update(lap % 2 == 0 ? (500 + (1 << 15)) : 500);
        }
        assertEquals(total, c.total());
        assertEquals(1_036 + 40_000L * (1 << 15), c.total());
    }

    @Test
    void rejectsOutOfRangeRaw() {
        WrappingCounter c = new WrappingCounter(100);
        assertThrows(IllegalArgumentException.class, () -> c.update(100));
        assertThrows(IllegalArgumentException.class, () -> c.update(-1));
    }
}
