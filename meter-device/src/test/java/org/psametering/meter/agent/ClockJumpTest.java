package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.Topics;

/** Issue 8 fault suite: the meter's clock jumps backwards and forwards around step boundaries. */
class ClockJumpTest {

    @Test
    void aForwardJumpIsCountedAndItsEnergyReportedInOneStep() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        h.step(1, 1);
        h.member("m1").sensor.use(40);
        h.member("m2").sensor.use(2);
        h.clock.advance(Duration.ofSeconds(5L * GroupHarness.STEP)); // five boundaries at once
        h.tickAll();
        long label = h.currentLabel() - 1;
        for (GroupHarness.Member m : h.members.values()) {
            assertEquals(4, m.agent.stats().missedSteps(), "the four labels that send nothing are counted");
        }
        Map<Long, List<Ciphertext>> cts = h.ciphertexts().get(1L);
        assertEquals(42, h.aggregate(1, label, cts.get(label)), "the whole energy of the jump is in the last step");
    }

    @Test
    void randomJumpsAroundBoundariesNeverReuseALabel(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"), data);
        h.setUpEpoch(1, 60);
        h.tickAll();
        Random random = new Random(7);
        long newest = 1;
        for (int move = 0; move < 400; move++) {
            if (move == 150) {
                h.setUpEpoch(++newest, 900);
            }
            if (move == 300) {
                h.setUpEpoch(++newest, 60);
            }
            if (random.nextInt(8) == 0) { // restarts: a fresh step tracker may start inside an already used step
                GroupHarness.Member m = h.member(random.nextBoolean() ? "m1" : "m2");
                h.start(m, true);
                h.redeliverRetained(m, newest);
            }
            int unit = h.stepSeconds;
            long boundary = (h.clock.instant().getEpochSecond() / unit + random.nextInt(4) - 1) * unit;
            long offset = random.nextInt(3) - 1; // just before, at, or just after a boundary
            h.clock.set(Instant.ofEpochSecond(boundary + offset).plusMillis(random.nextInt(1000)));
            for (GroupHarness.Member m : h.members.values()) {
                m.sensor.use(random.nextInt(5));
            }
            h.tickAll();
        }

        long refused = 0;
        long missed = 0;
        for (GroupHarness.Member m : h.members.values()) {
            Map<String, Set<String>> bodies = new HashMap<>();
            Map<Long, Long> lastLabelPerEpoch = new HashMap<>();
            for (RecordingOutbound.Sent s : m.outbound.on("/ct/")) {
                long epoch = Topics.parse(s.topic()).epoch();
                byte[] body = CiphertextMessage.parse(s.payload()).ciphertextEncoding();
                long label = Encodings.decodeCiphertext(body).label();
                boolean first = bodies.computeIfAbsent(epoch + "/" + label, k -> new HashSet<>())
                        .add(java.util.HexFormat.of().formatHex(body));
                if (first) {
                    assertTrue(label > lastLabelPerEpoch.getOrDefault(epoch, Long.MIN_VALUE),
                            m.id + ": epoch " + epoch + " label " + label + " not after the previous one");
                    lastLabelPerEpoch.put(epoch, label);
                }
            }
            bodies.forEach((k, set) -> assertEquals(1, set.size(), m.id + ": (epoch, label) " + k + " encrypted twice"));
            refused += m.agent.stats().labelNotAfterLast();
            missed += m.agent.stats().missedSteps();
        }
        assertTrue(refused > 0, "the clock went back over used labels, and that was counted");
        assertTrue(missed > 0, "the clock jumped over boundaries, and that was counted");
        assertTrue(h.ciphertexts().keySet().containsAll(List.of(1L, 2L, 3L)), "every epoch reported");
    }
}
