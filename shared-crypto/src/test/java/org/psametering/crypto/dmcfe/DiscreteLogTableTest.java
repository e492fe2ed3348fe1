package org.psametering.crypto.dmcfe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.dmcfe.internal.MilagroBls12381;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

class DiscreteLogTableTest {

    private final PairingGroup curve = MilagroBls12381.INSTANCE;

    @Test
    void findsEveryExponentUpToTheBound() {
        DiscreteLogTable table = DiscreteLogTable.build(curve, 300, DiscreteLogTable.Progress.NONE);
        assertEquals(18, table.babySteps());
        Random random = new Random(3);
        long[] exponents = {0, 1, 17, 18, 19, 299, 300, random.nextInt(301), random.nextInt(301)};
        for (long x : exponents) {
            assertEquals(x, table.log(curve.gtGenerator().pow(x)), "exponent " + x);
        }
    }

    @Test
    void exponentBeyondTheBoundIsAClearErrorNotAWrongNumber() {
        DiscreteLogTable table = DiscreteLogTable.build(curve, 300, DiscreteLogTable.Progress.NONE);
        // 301..323 would still be reachable by the last giant step; the bound must be enforced anyway
        DiscreteLogOutOfRangeException e = assertThrows(DiscreteLogOutOfRangeException.class,
                () -> table.log(curve.gtGenerator().pow(301)));
        assertEquals(300, e.bound());
        assertTrue(e.getMessage().contains("[0, 300]"), e.getMessage());
        assertThrows(DiscreteLogOutOfRangeException.class, () -> table.log(curve.gtGenerator().pow(5000)));
    }

    @Test
    void fingerprintCollisionsAreResolvedByComparingElements() {
        // every element collides: lookups must confirm candidates instead of trusting the fingerprint
        DiscreteLogTable table = DiscreteLogTable.build(curve, 60, 1 << 10, DiscreteLogTable.Progress.NONE,
                element -> element.fingerprint() & 1);
        for (long x : new long[] {0, 7, 8, 33, 60}) {
            assertEquals(x, table.log(curve.gtGenerator().pow(x)), "exponent " + x);
        }
        assertThrows(DiscreteLogOutOfRangeException.class, () -> table.log(curve.gtGenerator().pow(61)));
    }

    @Test
    void cappedTableTradesMemoryForGiantSteps() {
        DiscreteLogTable table = DiscreteLogTable.build(curve, 500, 5, DiscreteLogTable.Progress.NONE);
        assertEquals(5, table.babySteps());
        assertEquals(101, table.maxGiantSteps());
        assertEquals(499, table.log(curve.gtGenerator().pow(499)));
    }

    @Test
    void reportsProgressWhileBuilding() {
        long[] last = new long[2];
        DiscreteLogTable.build(curve, 10_000, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertEquals(101, last[1]);
        assertTrue(last[0] >= 100, "progress reached " + last[0]);
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThrows(IllegalArgumentException.class,
                () -> DiscreteLogTable.build(curve, -1, DiscreteLogTable.Progress.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> DiscreteLogTable.build(curve, 10, 0, DiscreteLogTable.Progress.NONE));
    }

    @Test
    void ceilSqrtIsExact() {
        assertEquals(1, DiscreteLogTable.ceilSqrt(1));
        assertEquals(2, DiscreteLogTable.ceilSqrt(2));
        assertEquals(100_000, DiscreteLogTable.ceilSqrt(10_000_000_000L));
        assertEquals(100_001, DiscreteLogTable.ceilSqrt(10_000_000_001L));
        GtElement unused = curve.gtIdentity();
        assertEquals(0, DiscreteLogTable.build(curve, 0, DiscreteLogTable.Progress.NONE).log(unused));
    }
}
