package org.psametering.cli.bench.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.core.EpochPhase;

/** The upload bench's final check of the head-end's status: a snapshot behind the announcement is not a failure. */
class UploadBenchCheckTest {

    private static GroupStatus status(EpochPhase phase, int blindedKeys) {
        return new GroupStatus("g", 0, phase, "lwr-3072-q128-p85", 900, List.of("a", "b"), 2, blindedKeys, OptionalLong.empty(),
                List.of(), 0);
    }

    @Test
    void aSnapshotStillBehindTheActiveAnnouncementIsReadAgain() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        UploadBench.checkAllActive(() -> reads.incrementAndGet() < 3
                ? List.of(status(EpochPhase.KEYSET_PUBLISHED, 1)) : List.of(status(EpochPhase.ACTIVE, 2)), 2, Duration.ofSeconds(10));
        assertEquals(3, reads.get(), "read until it caught up");
    }

    @Test
    void aGroupThatNeverGetsThereStillFailsTheRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> UploadBench.checkAllActive(
                () -> List.of(status(EpochPhase.KEYSET_PUBLISHED, 1)), 2, Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("KEYSET_PUBLISHED with 1 of 2"), e.getMessage());
    }
}
