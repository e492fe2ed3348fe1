package org.psametering.meter.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz target for the meter's state file. Property: any file content either decodes, and then encodes to a fixed
 * point (decode(encode(state)) encodes to the same bytes: base64 and JSON spacing are not canonical, the state is), or
 * throws {@link CorruptStateException}; any other exception, an OutOfMemoryError or a hang is a finding.
 */
class MeterStateCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        MeterState state;
        try {
            state = MeterStateCodec.decode(input);
        } catch (CorruptStateException expected) {
            return;
        }
        byte[] encoded = MeterStateCodec.encode(state);
        assertArrayEquals(encoded, MeterStateCodec.encode(MeterStateCodec.decode(encoded)));
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=MeterStateCodecFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        // fixed seeds of a test-only random: the corpus is reproducible and holds no real meter's secrets
        java.util.Random random = new java.util.Random(8);
        java.security.SecureRandom secure = new java.security.SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                random.nextBytes(bytes);
            }
        };
        EpochKeys keys = new EpochKeys(PsaKey.generate(PsaParameters.KHPRF_2021, secure), AgreementKeyPair.generate(secure));
        EpochState active = new EpochState(3, PsaParameters.KHPRF_2021.name(), 900, 3, new byte[]{2, 1, 7, 7},
                EpochPhase.ACTIVE, 1_953_001, keys, 1_953_010);
        // a sparse-graph epoch (version 4's maskGraph)
        EpochState setup = new EpochState(4, PsaParameters.KHPRF_2021.name(), 900, 3, new byte[]{2, 1, 8, 8},
                EpochPhase.KEY_SETUP, -1, keys, MeterState.NO_LABEL, java.util.Optional.empty(), java.util.Optional.of(
                new SparseRow(new org.psametering.crypto.keysetup.GraphSpec(new byte[32], Long.MIN_VALUE), List.of("meter-00002"))));
        byte[] fresh = MeterStateCodec.encode(MeterState.fresh("meter-00001", "feeder-1"));
        byte[] full = MeterStateCodec.encode(new MeterState("meter-00001", "feeder-1", List.of(active, setup)));
        String freshJson = new String(fresh, UTF_8);
        String fullJson = new String(full, UTF_8);
        // named after the current format version; seeds of older versions stay in the corpus, as those are still read
        String v = "v" + MeterStateCodec.VERSION + "-";
        String version = "\"version\" : " + MeterStateCodec.VERSION;
        new SeedCorpus(getClass()).write("decode", seeds(v + "fresh", fresh, v + "two-epochs", full,
                v + "future-version", freshJson.replace(version, "\"version\" : " + (MeterStateCodec.VERSION + 1)).getBytes(UTF_8),
                v + "epoch-not-object", freshJson.replace("\"epochs\" : [ ]", "\"epochs\" : [ 1 ]").getBytes(UTF_8),
                v + "float-label", fullJson.replace("\"lastLabel\" : 1953010", "\"lastLabel\" : 1.5").getBytes(UTF_8),
                "empty", new byte[0]));
    }
}
