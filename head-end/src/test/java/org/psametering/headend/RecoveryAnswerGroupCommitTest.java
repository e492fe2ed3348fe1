package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * Group commit of recovery answers: the answers of one inbound batch are committed, forced to disk once, then kept in
 * memory and acknowledged; if that forced write fails none of them is acknowledged and the redelivered answers (found
 * already stored) are taken and acknowledged after the next forced write that works.
 */
class RecoveryAnswerGroupCommitTest {
    private static final int STEP = 900;
    private static final int DEADLINE = 60;
    private static final String G = "feeder-7";
    private static final List<String> REPORTING = List.of("m1", "m2", "m3", "m4", "m5");
    private static final GroupSettings GROUP = new GroupSettings(G, PsaParameters.RECOVERABLE.name(), STEP, DEADLINE, 4 * STEP,
            List.of("m1", "m2", "m3", "m4", "m5", "m6")).withRecovery(3, 30);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private Map<String, TestMeter> meters;
    private long label;
    private long expected;

    private CoreHarness open() {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, GROUP);
    }

    /** Keys set up, one step sent by every member but m6, the deadline passed: recovery requested. */
    private CoreHarness recovering() {
        CoreHarness h = open();
        meters = h.setUpKeys(G);
        label = h.announcement(G).activeFromLabel().orElseThrow();
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
        Map<String, TestMeter> reporting = new java.util.LinkedHashMap<>();
        REPORTING.forEach(m -> reporting.put(m, meters.get(m)));
        expected = h.sendStep(G, 0, label, reporting, 77);
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + DEADLINE + 1));
        h.core.tick();
        assertEquals(ResultStatus.RECOVERING, stored(h).status());
        return h;
    }

    private List<InboundMessage> answers(CoreHarness h, List<String> ids) {
        byte[] request = h.publisher.last(Topics.recovery(G, 0)).orElseThrow().payload();
        List<InboundMessage> batch = new ArrayList<>();
        for (String id : ids) {
            batch.add(new InboundMessage(Topics.recoveryAnswer(G, 0, id), meters.get(id).recoveryAnswerPayload(request),
                    h.acks::incrementAndGet));
        }
        return batch;
    }

    private StepResult stored(CoreHarness h) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    @Test
    void aBatchOfAnswersIsForcedToDiskOnceThenAcknowledged() {
        try (CoreHarness h = recovering()) {
            List<InboundMessage> batch = answers(h, List.of("m1", "m2", "m3", "m4"));
            int forced = h.faults.executedCount("CHECKPOINT");
            int acks = h.acks.get();
            h.core.process(batch);
            assertEquals(1, h.faults.executedCount("CHECKPOINT") - forced, "one forced write for the batch's four answers");
            assertEquals(acks + 4, h.acks.get());
            assertEquals(ResultStatus.RECOVERING, stored(h).status(), "m5 has not answered");
        }
        try (CoreHarness h = open()) { // the four answers survive a restart: m5's alone completes the sum
            h.core.process(answers(h, List.of("m5")));
            assertEquals(ResultStatus.RECOVERED, stored(h).status());
            assertEquals(OptionalLong.of(expected), stored(h).sum());
        }
    }

    @Test
    void answersWhoseForcedWriteFailedAreNotAcknowledgedAndTakenWhenDeliveredAgain() {
        try (CoreHarness h = recovering()) {
            List<InboundMessage> batch = answers(h, REPORTING);
            h.faults.fail("CHECKPOINT", () -> new SQLException("fsync failed"));
            int acks = h.acks.get();
            h.core.process(batch);
            assertEquals(acks, h.acks.get(), "not forced to disk, so none acknowledged");
            assertEquals(ResultStatus.RECOVERING, stored(h).status(), "no sum from answers that are not durable");
            h.faults.heal();
            h.core.process(batch); // the broker delivers them again: already stored, taken and acknowledged now
            assertEquals(acks + 5, h.acks.get());
            assertEquals(0, h.core.rejections().total(), "no answer taken for a duplicate");
            assertEquals(ResultStatus.RECOVERED, stored(h).status());
            assertEquals(OptionalLong.of(expected), stored(h).sum());
        }
    }
}
