package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;

/**
 * Issue 14 "crash-point testing", meter side: every state and outbox write of a flow is made to "crash" the meter
 * (before or after the write reaches the disk), the meter restarts from what was persisted and the broker redelivers
 * the retained messages. After each run: the state file always parses, no (epoch key, label) pair encrypted two
 * different readings, every durably queued ciphertext reached the broker, an outbox entry left only after its
 * acknowledgement, and the meter still reports (no stuck state).
 */
class MeterCrashPointTest {

    private static final Map<String, Integer> CRASH_POINTS = new java.util.TreeMap<>();

    /** One flow: {@code prepare} runs unarmed, {@code flow} with crashes armed. */
    private record Flow(String name, Consumer<World> prepare, Consumer<World> flow) {
    }

    /** A group of m1 (on a crash disk) and m2, with the broker's acknowledgements recorded. */
    private static final class World {
        final Set<String> acknowledged = new HashSet<>();
        final CrashDisk disk = new CrashDisk(acknowledged);
        final GroupHarness h;
        final GroupHarness.Member m1;

        World() {
            this(new GroupHarness(List.of("m1", "m2")));
        }

        World(GroupHarness harness) {
            h = harness;
            m1 = h.member("m1");
            m1.store = disk.stateStore;
            m1.outboxStore = disk.outboxStore;
            m1.outbound.onPublish = sent -> {
                if (sent.topic().contains("/ct/") && m1.outbound.autoAck) {
                    acknowledged.add(CrashDisk.key(sent.topic(), label(sent.payload())));
                }
                if (sent.topic().contains("/answer/") && m1.outbound.autoAck) {
                    String answered = CrashDisk.answered(sent.topic(), sent.payload());
                    long l = Long.parseLong(answered.split("/")[1]);
                    acknowledged.add(CrashDisk.key(sent.topic(), l));
                }
            };
            h.start(m1, true);
        }
    }

    private static long label(byte[] payload) {
        return Encodings.decodeCiphertext(CiphertextMessage.parse(payload).ciphertextEncoding()).label();
    }

    private static void runFlow(Flow f) {
        runFlow(f, World::new, (where, w) -> { });
    }

    private static void runFlow(Flow f, java.util.function.Supplier<World> worlds, java.util.function.BiConsumer<String, World> more) {
        int points = 0;
        for (CrashDisk.When when : CrashDisk.When.values()) {
            for (int n = 1; ; n++) {
                World w = worlds.get();
                f.prepare().accept(w);
                w.disk.arm(n, when);
                f.flow().accept(w);
                if (!w.disk.crashed()) {
                    assertEquals(0, w.h.crashes);
                    break;
                }
                points++;
                checkInvariants(f.name() + " crash at write " + n + " " + when, w);
                more.accept(f.name() + " crash at write " + n + " " + when, w);
            }
        }
        assertTrue(points > 0, f.name() + " has crash points");
        CRASH_POINTS.put(f.name(), points);
    }

    private static void checkInvariants(String where, World w) {
        assertEquals(1, w.h.crashes, where);
        assertEquals(List.of(), w.disk.violations, where);
        // the restarted meter drains its outbox once connected, and keeps reporting: the next step aggregates exactly
        w.m1.outbound.autoAck = true;
        w.m1.agent.connected();
        // the clock goes back over the last steps after the restart: labels sent before the crash must be refused,
        // which only holds if they were burnt on disk before their ciphertext existed
        int unit = w.h.stepSeconds;
        w.h.clock.set(w.h.clock.instant().minusSeconds(3L * unit));
        w.h.tickAll();
        int size = w.h.members.size();
        long[] readings = new long[size];
        long sum = 0;
        for (int i = 0; i < size; i++) {
            readings[i] = 5 + i;
            sum += readings[i];
        }
        for (int i = 0; i < 3; i++) {
            long[] back = new long[size];
            back[0] = 100 + i;
            w.h.stepOf(unit, back);
        }
        w.h.tickAll();
        w.h.step(new long[size]);
        w.h.step(readings);
        long label = w.h.currentLabel() - 1;
        Map<Long, Map<Long, List<Ciphertext>>> all = w.h.ciphertexts();
        long epoch = all.keySet().stream().max(Long::compare).orElseThrow();
        List<Ciphertext> last = all.get(epoch).get(label);
        assertEquals(sum, w.h.aggregate(epoch, label, last), where + ": the meter still reports after the restart");

        Map<String, Set<String>> bodies = new HashMap<>();
        for (RecordingOutbound.Sent s : w.m1.outbound.on("/ct/")) {
            Topic t = Topics.parse(s.topic());
            String body = java.util.HexFormat.of().formatHex(CiphertextMessage.parse(s.payload()).ciphertextEncoding());
            bodies.computeIfAbsent(t.epoch() + "/" + label(s.payload()), k -> new HashSet<>()).add(body);
        }
        bodies.forEach((k, set) -> assertEquals(1, set.size(), where + ": (epoch, label) " + k + " encrypted twice"));
        Set<String> delivered = new HashSet<>(w.acknowledged);
        List<String> lost = new ArrayList<>(w.disk.everQueued);
        lost.removeAll(delivered);
        assertEquals(List.of(), lost, where + ": durably queued ciphertexts that never reached the broker");
        assertEquals(0, w.m1.agent.stats().outboxSize(), where);
        w.m1.store.load().orElseThrow(); // the state file parses
    }

    @Test
    void keySetup() {
        runFlow(new Flow("key setup", w -> { }, w -> {
            w.h.setUpEpoch(1);
            w.h.tickAll();
        }));
    }

    @Test
    void stepEncryption() {
        runFlow(new Flow("step encryption", w -> {
            w.h.setUpEpoch(1);
            w.h.tickAll();
        }, w -> {
            for (int i = 1; i <= 4; i++) {
                w.h.step(i, 10 + i);
            }
        }));
    }

    @Test
    void outboxSendAndAcknowledge() {
        runFlow(new Flow("outbox send/ack", w -> {
            w.h.setUpEpoch(1);
            w.h.tickAll();
            w.h.step(0, 0);
        }, w -> {
            w.m1.agent.disconnected();
            for (int i = 1; i <= 3; i++) {
                w.h.step(i, i);
            }
            w.h.surviving(w.m1, w.m1.agent::connected); // drains the three, acknowledged one by one
            w.m1.outbound.autoAck = false; // the broker holds back acknowledgements: entries must stay
            w.h.step(7, 7);
            w.h.step(8, 8);
            w.m1.outbound.autoAck = true;
            w.h.surviving(w.m1, () -> {
                w.m1.agent.disconnected();
                w.m1.agent.connected(); // re-sent and now acknowledged
            });
        }));
    }

    @Test
    void stepLengthChange() {
        runFlow(new Flow("step-length change", w -> {
            w.h.setUpEpoch(1, 60);
            w.h.tickAll();
            w.h.stepOf(60, 1, 1);
        }, w -> {
            long from2 = w.h.setUpEpoch(2, 900);
            while (w.h.clock.instant().getEpochSecond() < from2 * 900) {
                w.h.stepOf(60, 1, 2);
            }
            w.h.stepOf(900, 3, 4);
            long from3 = w.h.setUpEpoch(3, 60);
            w.h.stepOf(60, 5, 6);
            w.h.stepOf(60, 7, 8);
            assertTrue(from3 > 0);
        }));
    }

    /**
     * Answering recovery requests (m1 of m1..m3, m3 missing): the first request for L, the identical one again, a
     * different one for L (refused), one for L+1, and one for L+2 while offline (queued, sent on reconnect). After each
     * crash and restart (and the request for L+2 coming again): at most one distinct answer per (epoch, label), every
     * answer sent or durably queued recorded on disk as answered first, and the answer to L+2 does go out.
     */
    @Test
    void recoveryAnswering() {
        long[] label = new long[1];
        runFlow(new Flow("recovery answering", w -> {
            long from = w.h.setUpEpoch(1);
            while (w.h.currentLabel() <= from + 2) {
                w.h.step(1, 2, 3);
            }
            label[0] = from;
        }, w -> {
            long l = label[0];
            request(w, l, "m3");
            request(w, l, "m3"); // a restarted head-end repeating it
            request(w, l, "m2"); // a different missing set for an answered label: never answered
            request(w, l + 1, "m3");
            w.h.surviving(w.m1, w.m1.agent::disconnected);
            request(w, l + 2, "m3"); // queued while offline
            w.h.surviving(w.m1, w.m1.agent::connected);
        }), MeterCrashPointTest::recoveryWorld, (where, w) -> {
            request(w, label[0] + 2, "m3"); // the head-end asks again after the restart
            Map<String, Set<String>> answers = new java.util.TreeMap<>();
            for (RecordingOutbound.Sent s : w.m1.outbound.on("/answer/")) {
                String answered = CrashDisk.answered(s.topic(), s.payload());
                assertTrue(w.disk.everRecordedAnswered.contains(answered), where + ": answer " + answered + " sent without its record on disk");
                String step = answered.substring(0, answered.lastIndexOf('/'));
                answers.computeIfAbsent(step, k -> new HashSet<>()).add(java.util.HexFormat.of().formatHex(s.payload()));
            }
            answers.forEach((step, distinct) -> assertEquals(1, distinct.size(), where + ": " + distinct.size()
                    + " different answers for (epoch/label) " + step));
            assertTrue(answers.containsKey("1/" + (label[0] + 2)), where + ": the request for L+2 was never answered: " + answers.keySet());
        });
    }

    private static World recoveryWorld() {
        return new World(new GroupHarness(List.of("m1", "m2", "m3"), null, org.psametering.crypto.psa.PsaParameters.RECOVERABLE, 2));
    }

    private static void request(World w, long label, String... missing) {
        w.h.broadcast(Topics.recovery(GroupHarness.GROUP, 1),
                new org.psametering.protocol.RecoveryRequestMessage(GroupHarness.GROUP, 1, label, List.of(missing)).toJson());
    }

    @AfterAll
    static void report() throws java.io.IOException {
        String line = "meter crash points per flow: " + CRASH_POINTS;
        System.out.println(line);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "meter-crash-points.txt"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
