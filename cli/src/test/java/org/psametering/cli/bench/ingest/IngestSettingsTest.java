package org.psametering.cli.bench.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.PsaParameters;

/**
 * A group whose signed key set cannot cross the broker (each member's entry carries its certificate) never leaves key
 * setup: the benchmark used to wait ten minutes and then fail. It must refuse such a size at once, naming the limit.
 */
class IngestSettingsTest {
    private static IngestSettings meters(int m) {
        return new IngestSettings(m, null, 5, 2, PsaParameters.DEFAULT, 1, false, true, false, false);
    }

    @Test
    void aGroupWhoseKeySetExceedsThePacketLimitIsRefusedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> meters(10_000));
        assertTrue(e.getMessage().contains("key set"), e.getMessage());
    }

    @Test
    void aGroupWhoseKeySetFitsIsAccepted() {
        assertDoesNotThrow(() -> meters(IngestSettings.MAX_METERS));
    }
}
