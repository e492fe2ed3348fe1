package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * Recovery under the failures the crash-point harness ({@code RecoveryCrashPointTest}) found: a request whose
 * publication fails, an answer whose store reported a failure after its commit went through, and the refusal of late
 * ciphertexts after a restart. Meters answer a request once, so none of these may depend on a second answer.
 */
class RecoveryFailuresTest {
    private static final int STEP = 900;
    private static final int DEADLINE = 60;
    private static final String G = "feeder-3";
    private static final GroupSettings GROUP = new GroupSettings(G, PsaParameters.RECOVERABLE.name(), STEP, DEADLINE, 4 * STEP,
            List.of("m1", "m2", "m3", "m4")).withRecovery(2, 600);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private final AtomicBoolean failRequests = new AtomicBoolean();
    private Map<String, TestMeter> meters;
    private long label;

    private CoreHarness open() {
        Publisher failing = (topic, payload, retained) -> {
            if (topic.endsWith("/recovery") && failRequests.getAndSet(false)) {
                throw new IllegalStateException("simulated publish failure");
            }
        };
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, failing, GROUP);
    }

    /** Keys set up, m1..m3 report {@link #label}, m4 does not; returns the sum of the three. */
    private long threeOfFourReported(CoreHarness h) {
        meters = h.setUpKeys(G);
        label = h.announcement(G).activeFromLabel().orElseThrow();
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
        Map<String, TestMeter> three = new LinkedHashMap<>(meters);
        three.remove("m4");
        return h.sendStep(G, 0, label, three, 100);
    }

    private void pastDeadline() {
        clock.set(Instant.ofEpochSecond((label + 1) * STEP + DEADLINE + 1));
    }

    private static StepResult stored(CoreHarness h, long label) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    private void answerAll(CoreHarness h, String... ids) {
        byte[] request = h.publisher.last(Topics.recovery(G, 0)).orElseThrow().payload();
        for (String id : ids) {
            h.deliver(Topics.recoveryAnswer(G, 0, id), meters.get(id).recoveryAnswerPayload(request));
        }
    }

    @Test
    void aRequestWhosePublicationFailedIsPublishedAgainAtTheNextTick() {
        try (CoreHarness h = open()) {
            long expected = threeOfFourReported(h);
            pastDeadline();
            failRequests.set(true);
            h.core.tick();
            assertEquals(ResultStatus.RECOVERING, stored(h, label).status());
            assertTrue(h.publisher.on(Topics.recovery(G, 0)).isEmpty());
            ResultMessage published = ResultMessage.fromJson(h.publisher.last(Topics.result(G)).orElseThrow().payload());
            assertEquals(ResultStatus.RECOVERING, published.status(), "the RECOVERING result is published all the same");

            h.core.tick();
            assertEquals(1, h.publisher.on(Topics.recovery(G, 0)).size(), "the request goes out at the next tick");
            answerAll(h, "m1", "m2", "m3");
            assertEquals(ResultStatus.RECOVERED, stored(h, label).status());
            assertEquals(OptionalLong.of(expected), stored(h, label).sum());
        }
    }

    @Test
    void anAnswerStoredDespiteAReportedFailureIsAcceptedWhenTheBrokerDeliversItAgain() {
        try (CoreHarness h = open()) {
            long expected = threeOfFourReported(h);
            pastDeadline();
            h.core.tick();
            h.faults.failOnceAfterCommit("psa_recovery_answer", () -> new SQLException("forced write failed"));
            int acks = h.acks.get();
            answerAll(h, "m1");
            assertEquals(acks, h.acks.get(), "not acknowledged: the store reported a failure");

            answerAll(h, "m1"); // the broker delivers it again (the meter does not answer a second time)
            assertEquals(acks + 1, h.acks.get(), "the redelivered answer is taken and acknowledged");
            answerAll(h, "m2", "m3");
            assertEquals(ResultStatus.RECOVERED, stored(h, label).status());
            assertEquals(OptionalLong.of(expected), stored(h, label).sum());
        }
    }

    @Test
    void aLateCiphertextForARecoveredLabelIsStillRefusedAsAfterRecoveryAfterARestart() {
        byte[] late;
        try (CoreHarness h = open()) {
            threeOfFourReported(h);
            pastDeadline();
            h.core.tick();
            answerAll(h, "m1", "m2", "m3");
            assertEquals(ResultStatus.RECOVERED, stored(h, label).status());
            late = meters.get("m4").ciphertextPayload(label, 5);
        }
        try (CoreHarness h = open()) {
            h.deliver(Topics.ciphertext(G, 0, "m4"), late);
            assertEquals(1, h.core.rejections().get(RejectReason.AFTER_RECOVERY), "refused for the reason it is refused");
            assertEquals(0, h.core.rejections().get(RejectReason.DUPLICATE));
        }
    }
}
