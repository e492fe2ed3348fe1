package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;

/**
 * The head-end loses its own link to the broker across a step's deadline. It records that step INCOMPLETE while
 * offline; the result must still reach subscribers once the link is back (queued, not dropped), and the ciphertexts
 * the broker kept for the head-end's session then complete the step exactly.
 */
class HeadEndLinkLossSystemTest {
    private static final int METERS = 3;
    /** A deadline of a third of a step, so it passes while the link is down. */
    private static final int DEADLINE_SECONDS = SystemRig.STEP_SECONDS / 3;
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(120);

    @Test
    void aResultRecordedWhileOfflineIsPublishedAfterTheReconnect(@TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-link-loss", METERS, METERS, DEADLINE_SECONDS, true)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);

            rig.headEndLink.cut();
            long offline = first + 1;
            rig.sleepUntilEndOf(offline, 0.6); // the step ends and its deadline passes with the head-end offline
            rig.headEndLink.restore();

            ResultMessage complete = rig.assertExact(offline, METERS, RECONNECT_WAIT);
            List<ResultMessage> seen = rig.results.history(offline);
            ResultMessage incomplete = seen.stream().filter(r -> r.status() == ResultStatus.INCOMPLETE).findFirst()
                    .orElseThrow(() -> new AssertionError("the INCOMPLETE result recorded offline never reached subscribers: " + seen));
            assertEquals(METERS, incomplete.missing().size(), "nothing had arrived before the deadline: " + incomplete);
            assertTrue(seen.indexOf(incomplete) < seen.indexOf(complete), "INCOMPLETE first, then COMPLETE: " + seen);
        }
    }
}
