package org.psametering.meter.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

class MeterStateTest {

    private static final EpochKeys KEYS = new EpochKeys(PsaKey.generate(PsaParameters.KHPRF_2021, new SecureRandom()),
            AgreementKeyPair.generate(new SecureRandom()));

    private static EpochState epoch(long n, EpochPhase phase, long from) {
        return new EpochState(n, PsaParameters.KHPRF_2021.name(), 900, 2, new byte[] {1}, phase, from, KEYS);
    }

    @Test
    void keyForPicksTheActiveEpochWithTheLatestStartNotAfterTheLabel() {
        MeterState s = new MeterState("m", "g", List.of(epoch(2, EpochPhase.ACTIVE, 100), epoch(1, EpochPhase.ACTIVE, 10),
                epoch(3, EpochPhase.BLINDED_SENT, -1)));
        assertTrue(s.keyFor(9, 900).isEmpty());
        assertEquals(1, s.keyFor(10, 900).orElseThrow().epoch());
        assertEquals(1, s.keyFor(99, 900).orElseThrow().epoch());
        assertEquals(2, s.keyFor(100, 900).orElseThrow().epoch());
        assertEquals(3, s.newest().orElseThrow().epoch(), "epochs are kept sorted");
    }

    private static EpochState epoch(long n, int stepSeconds, long from) {
        return new EpochState(n, PsaParameters.KHPRF_2021.name(), stepSeconds, 2, new byte[] {1}, EpochPhase.ACTIVE, from, KEYS);
    }

    @Test
    void keyForComparesStartInstantsNotLabelsOfDifferentUnits() {
        long minute = 30_000_000; // 60 s label of unix second 1 800 000 000
        long quarter = 2_000_001; // 900 s label of unix second 1 800 000 900 = minute label 30 000 015
        MeterState s = new MeterState("m", "g", List.of(epoch(1, 60, minute), epoch(2, 900, quarter)));
        assertEquals(1, s.keyFor(minute + 14, 60).orElseThrow().epoch(), "the last minute before the switch");
        assertEquals(2, s.keyFor(quarter, 900).orElseThrow().epoch());
        assertTrue(s.keyFor(minute + 15, 60).isEmpty(), "a minute label after the switch has no key: epoch 2 counts quarters");
        assertTrue(s.keyFor(quarter - 1, 900).isEmpty(), "a quarter label before the switch is epoch 1's time, in the wrong unit");

        MeterState back = new MeterState("m", "g", List.of(epoch(1, 900, quarter), epoch(2, 60, minute + 20)));
        assertEquals(1, back.keyFor(quarter, 900).orElseThrow().epoch(), "the quarter cut short by the switch at minute 20");
        assertTrue(back.keyFor(quarter + 1, 900).isEmpty(), "starts after the switch");
        assertEquals(2, back.keyFor(minute + 20, 60).orElseThrow().epoch());
        assertTrue(back.keyFor(minute + 19, 60).isEmpty());
    }

    @Test
    void anAbsurdActiveFromLabelNeverStartsInsteadOfOverflowing() {
        MeterState s = new MeterState("m", "g", List.of(epoch(1, 900, 10), epoch(2, 900, Long.MAX_VALUE / 100)));
        assertEquals(1, s.keyFor(Long.MAX_VALUE / 1000, 900).map(EpochState::epoch).orElse(-1L), "no overflow to a negative start");
        assertTrue(s.keyFor(Long.MAX_VALUE, 900).isEmpty());
    }

    @Test
    void duplicateEpochsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new MeterState("m", "g", List.of(epoch(1, EpochPhase.ACTIVE, 1), epoch(1, EpochPhase.KEY_SETUP, -1))));
    }
}
