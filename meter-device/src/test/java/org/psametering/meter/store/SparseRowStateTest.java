package org.psametering.meter.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/** State file version 4: a sparse epoch's graph and row are kept; version 3 files as main writes them are still read. */
class SparseRowStateTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static EpochState sparseEpoch(SparseRow row) {
        return new EpochState(5, PsaParameters.RECOVERABLE.name(), 900, 30, new byte[] {2, 1, 9}, EpochPhase.BLINDED_SENT, -1,
                new EpochKeys(PsaKey.generate(PsaParameters.RECOVERABLE, RANDOM), AgreementKeyPair.generate(RANDOM)),
                MeterState.NO_LABEL, Optional.empty(), Optional.of(row));
    }

    private static SparseRow row() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return new SparseRow(new GraphSpec(seed, 0xC000_0000_0000_0001L), List.of("m-01", "m-04", "m-22"));
    }

    @Test
    void theSparseRowRoundTripsThroughVersionFour() {
        SparseRow row = row();
        MeterState state = new MeterState("m-07", "feeder-s", List.of(sparseEpoch(row)));
        byte[] encoded = MeterStateCodec.encode(state);
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"version\" : 4"), text);
        assertTrue(text.contains("\"threshold\" : \"13835058055282163713\""), "unsigned decimal: " + text);
        EpochState loaded = MeterStateCodec.decode(encoded).epoch(5).orElseThrow();
        assertEquals(Optional.of(row), loaded.sparseRow());
        assertTrue(loaded.isSparse());
    }

    @Test
    void aVersionThreeFileWrittenByMainIsReadAsCompleteGraphEpochs() throws IOException {
        // written by main's MeterStateCodec at a1bfaa1 (the format before sparse graphs; throw-away test keys)
        byte[] v3;
        try (InputStream in = getClass().getResourceAsStream("/state/v3-written-by-main-a1bfaa1.json")) {
            v3 = in.readAllBytes();
        }
        MeterState loaded = MeterStateCodec.decode(v3);
        assertEquals("m-07", loaded.meterId());
        EpochState active = loaded.epoch(3).orElseThrow();
        assertEquals(EpochPhase.ACTIVE, active.phase());
        assertEquals(2_000_100, active.activeFromLabel());
        assertEquals(2_000_123, active.lastLabel());
        assertEquals(2_000_120, active.lastRecovery().orElseThrow().label());
        assertEquals(30, active.groupSize());
        assertTrue(active.sparseRow().isEmpty(), "a version-3 meter refused sparse groups");
        EpochState pending = loaded.epoch(4).orElseThrow();
        assertEquals(EpochPhase.BLINDED_SENT, pending.phase());
        assertTrue(pending.sparseRow().isEmpty());
        // rewritten as version 4 with the same content
        MeterState again = MeterStateCodec.decode(MeterStateCodec.encode(loaded));
        assertEquals(loaded.toString(), again.toString());
        assertEquals(active.keys().agreementKey().publicKey(), again.epoch(3).orElseThrow().keys().agreementKey().publicKey());
    }

    @Test
    void aMaskGraphInAnOlderVersionOrABrokenOneIsCorrupt() {
        String v4 = new String(MeterStateCodec.encode(new MeterState("m-07", "feeder-s", List.of(sparseEpoch(row())))),
                StandardCharsets.UTF_8);
        assertCorrupt(v4.replace("\"version\" : 4", "\"version\" : 3"), "unknown field 'epochs[0].maskGraph'");
        assertCorrupt(v4.replaceAll("\"threshold\" : \"\\d+\"", "\"threshold\" : \"-1\""), "threshold");
        assertCorrupt(v4.replace("\"m-04\", \"m-22\"", "\"m-22\", \"m-04\""), "ascending");
        assertCorrupt(v4.replaceAll("\"seed\" : \"[^\"]+\"", "\"seed\" : \"AAAA\""), "32 bytes");
    }

    private static void assertCorrupt(String text, String expected) {
        CorruptStateException e = assertThrows(CorruptStateException.class,
                () -> MeterStateCodec.decode(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
