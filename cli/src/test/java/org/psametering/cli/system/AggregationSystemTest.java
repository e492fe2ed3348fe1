package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.protocol.ResultMessage;

/** N meters, T steps, a real Mosquitto: every step's decrypted aggregate is exactly the sum of the plaintext readings. */
class AggregationSystemTest {
    private static final int METERS = 4;
    private static final int STEPS = 3;

    @Test
    void everyStepAggregatesExactly(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-exact", METERS, METERS, SystemRig.STEP_SECONDS / 2)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            for (long label = first; label < first + STEPS; label++) {
                ResultMessage result = rig.assertExact(label, METERS);
                assertEquals(0, result.epoch());
            }
            assertEquals(0, rig.fleet.truth().reusedLabels());
            assertEquals(Map.of(), nonZero(rig.rejections()), "a clean run rejects nothing");
        }
    }

    static <K> Map<K, Long> nonZero(Map<K, Long> counts) {
        return Map.copyOf(counts.entrySet().stream().filter(e -> e.getValue() != 0)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
