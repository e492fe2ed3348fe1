package org.psametering.cli.bench.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threads of one kind (Paho names them after a random client id) must add up under one name, or the breakdown says nothing. */
class ThreadCpuTest {
    @Test
    void clientIdsAndNumbersAreFolded() {
        assertEquals("MQTT Rec", ThreadCpu.kind("MQTT Rec: psa-bench-0-3f2a1b4c-1234-4abc-8def-0123456789ab"));
        assertEquals("psa-head-end-core", ThreadCpu.kind("psa-head-end-core"));
        assertEquals("pool-N-thread-N", ThreadCpu.kind("pool-3-thread-12"));
    }

    @Test
    void theLargestDifferencesComeFirst() {
        String top = ThreadCpu.top(Map.of("a", 1_000_000_000L, "b", 0L), Map.of("a", 1_500_000_000L, "b", 2_000_000_000L, "c", 1L), 2);
        assertEquals("b 2.00 s, a 0.50 s", top);
    }
}
