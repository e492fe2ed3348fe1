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
        MeterState s = new MeterState("m", "g", 0, List.of(epoch(2, EpochPhase.ACTIVE, 100), epoch(1, EpochPhase.ACTIVE, 10),
                epoch(3, EpochPhase.BLINDED_SENT, -1)));
        assertTrue(s.keyFor(9).isEmpty());
        assertEquals(1, s.keyFor(10).orElseThrow().epoch());
        assertEquals(1, s.keyFor(99).orElseThrow().epoch());
        assertEquals(2, s.keyFor(100).orElseThrow().epoch());
        assertEquals(3, s.newest().orElseThrow().epoch(), "epochs are kept sorted");
    }

    @Test
    void duplicateEpochsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new MeterState("m", "g", 0, List.of(epoch(1, EpochPhase.ACTIVE, 1), epoch(1, EpochPhase.KEY_SETUP, -1))));
    }
}
