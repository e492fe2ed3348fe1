package org.psametering.crypto.dmcfe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTableTest {

    @Test
    void keepsEveryValueOfACollidingKeyInInsertionOrder() {
        FingerprintTable table = new FingerprintTable(8);
        table.put(42, 1);
        table.put(7, 2);
        table.put(42, 3);
        List<Integer> seen = new ArrayList<>();
        int accepted = table.find(42, v -> {
            seen.add(v);
            return v == 3;
        });
        assertEquals(3, accepted);
        assertEquals(List.of(1, 3), seen);
        assertEquals(-1, table.find(42, v -> false));
        assertEquals(-1, table.find(99, v -> true));
        assertEquals(2, table.find(7, v -> true));
    }

    @Test
    void holdsItsCapacityAndRefusesMore() {
        FingerprintTable table = new FingerprintTable(5);
        for (int i = 0; i < 5; i++) {
            table.put(i * 1_000_003L, i);
        }
        assertEquals(5, table.size());
        assertEquals(16 * 12, table.memoryBytes()); // smallest power of two >= 2 * 5 slots, 12 bytes each
        // the load-factor guard allows up to half the slots; past that it must refuse rather than loop forever
        for (int i = 5; i < 8; i++) {
            table.put(i, i);
        }
        assertThrows(IllegalStateException.class, () -> table.put(100, 100));
        assertThrows(IllegalArgumentException.class, () -> table.put(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTable(0));
    }
}
