package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.sim.TrueSums;
import org.psametering.meter.MeterHandle;
import org.psametering.meter.agent.MeterStats;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Issue 8, fault injection: {@code kill -9} of the head-end while it ingests ciphertexts, repeatedly, each time right after
 * its accepted-ciphertext counter moved (so the kill falls inside a step's burst of ciphertexts: between receiving, the
 * batch's commit and fsync, and its acknowledgements), and a restart from the same data directory and MQTT client id.
 * A real persistent Mosquitto, the head-end as its own JVM ({@link HeadEndProcess}), simulated meters in this JVM on the
 * real clock with 2-second steps.
 *
 * <p>The invariant. A meter's ciphertext leaves its durable outbox only when the broker acknowledged it, and the broker (up
 * throughout) keeps every QoS 1 message for the head-end's persistent session until the head-end acknowledges it, which it
 * does only after the batch is stored. So once every meter's outbox is empty (nothing dropped), every reading a meter
 * encrypted was acknowledged by the broker and must end up in the head-end's result for its step, whatever the kills did.
 * For each step t of the run, with E(t) the meters that encrypted a reading for t:
 * <ul>
 *   <li>the head-end holds exactly one result for t (one row over HTTP);</li>
 *   <li>E(t) = all members ⇒ it is COMPLETE with the exact true sum;</li>
 *   <li>otherwise it is INCOMPLETE and misses exactly the members not in E(t) (a meter whose acknowledged ciphertext is
 *       listed as missing would be a lost ciphertext);</li>
 *   <li>no result ever published for t is COMPLETE with another sum;</li>
 *   <li>/health is UP again after every restart.</li>
 * </ul>
 * Nothing is timed; every wait is a generous bound on a condition.
 */
class HeadEndKillSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "g-head-end-kill";
    private static final int METERS = 40;
    private static final int STEP_SECONDS = 2;
    private static final int DEADLINE_SECONDS = 2;
    private static final int KILLS = 6;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ACCEPTED = "psa_ciphertexts_accepted_total";

    @Test
    void killedDuringIngestTheHeadEndLosesNoAcknowledgedCiphertextAndPublishesNoWrongSum(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> members = SystemRig.memberIds(METERS);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), true);
             HeadEndProcess headEnd = HeadEndProcess.configure(dir.resolve("head-end"), config(dir.resolve("head-end/data"), broker.url(), members));
             ResultWatcher results = ResultWatcher.start(broker.url(), GROUP);
             SimulatedFleet fleet = SimulatedFleet.empty(new FleetSpec(METERS, GROUP, broker.url(), 7, dir.resolve("meters"),
                     Clock.systemUTC(), Duration.ofMillis(50), SystemRig.ID_PREFIX))) {
            headEnd.start();
            headEnd.awaitHealthUp(WAIT);
            for (int i = 0; i < METERS; i++) {
                fleet.startMeter(i);
            }
            OptionalLong active = fleet.activations().awaitActive(METERS, 0, WAIT);
            assertTrue(active.isPresent(), "key setup did not finish within " + WAIT + "\n" + headEnd.logTail());
            long first = active.getAsLong();

            List<String> kills = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                // shortly before the next step boundary, when every meter publishes: the kill then falls inside that burst
                // (or inside the restart's backlog, if that is still being stored), not in the quiet between steps
                Thread.sleep(Math.max(0, Duration.between(Instant.now(),
                        TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS) + 1, STEP_SECONDS)).toMillis() - 200));
                double before = headEnd.metric(ACCEPTED).orElse(0);
                awaitCondition("kill " + kill + ": the head-end accepts ciphertexts", () -> headEnd.metric(ACCEPTED).orElse(-1) > before);
                double seen = headEnd.metric(ACCEPTED).orElse(-1);
                Thread.sleep(random.nextInt(30)); // a random moment inside the burst the counter showed
                int exit = headEnd.kill();
                assertEquals(128 + 9, exit, "kill " + kill + ": the head-end was running until SIGKILL ended it\n" + headEnd.logTail());
                kills.add("kill " + kill + " after " + (long) seen + " accepted (exit " + exit + ")");
                headEnd.start();
                headEnd.awaitHealthUp(WAIT); // fails, with the head-end's log, if /health does not come back UP
            }

            // Every meter goes on past a step that began after the last restart, and the broker acknowledged all of it.
            long last = TimeSteps.label(Instant.now(), STEP_SECONDS) + 1;
            TrueSums truth = fleet.truth();
            awaitCondition("every meter encrypted a step after " + last + " and the broker acknowledged everything it sent",
                    () -> fleet.meters().stream().allMatch(m -> encryptedAfter(truth, m.meterId(), last) && m.stats().outboxSize() == 0));
            for (MeterHandle meter : fleet.meters()) {
                MeterStats stats = meter.stats();
                assertEquals(0, stats.outboxDropped(), meter.meterId() + " dropped ciphertexts: " + stats);
                assertEquals(0, stats.failedSteps(), meter.meterId() + " failed steps: " + stats);
            }
            assertEquals(0, truth.reusedLabels(), "a meter encrypted a label twice");

            Map<Long, Expected> expected = new TreeMap<>();
            for (long t = first; t <= last; t++) {
                long label = t;
                List<String> missing = members.stream().filter(m -> truth.reading(m, label).isEmpty()).toList();
                expected.put(t, missing.isEmpty() ? Expected.complete(truth.sum(t)) : Expected.incomplete(missing));
            }
            String context = "seed " + seed + ", " + kills + ", steps " + first + ".." + last;

            // the restarted head-end catches up on what the broker kept for it: wait until the stored results settle, then
            // check them step by step (on a timeout too, so a failure names the step)
            Map<Long, List<JsonNode>> stored = new HashMap<>();
            pollUntil(() -> {
                stored.clear();
                stored.putAll(headEnd.storedResults(GROUP, first, last, STEP_SECONDS));
                return expected.entrySet().stream().allMatch(e -> stored.getOrDefault(e.getKey(), List.of()).size() == 1
                        && e.getValue().matches(stored.get(e.getKey()).get(0)));
            });
            for (Map.Entry<Long, Expected> e : expected.entrySet()) {
                long t = e.getKey();
                List<JsonNode> rows = stored.getOrDefault(t, List.of());
                assertEquals(1, rows.size(), "step " + t + ": exactly one final result, got " + rows + "; " + context + "\n" + headEnd.logTail());
                assertTrue(e.getValue().matches(rows.get(0)), "step " + t + ": stored " + rows.get(0) + ", expected " + e.getValue()
                        + " (a meter listed as missing whose reading was acknowledged is a lost ciphertext); " + context);
                awaitCondition("step " + t + ": a result was published", () -> results.latest(t).isPresent());
                for (ResultMessage published : results.history(t)) {
                    if (published.status() == ResultStatus.COMPLETE) {
                        assertEquals(truth.sum(t), published.sum().orElseThrow(), "step " + t + ": a published COMPLETE sum, " + context);
                        assertTrue(e.getValue().missing().isEmpty(), "step " + t + " published COMPLETE though " + e.getValue().missing()
                                + " never encrypted a reading");
                    }
                }
            }
            // Not asserted (the moment of a kill cannot be forced), printed to show where kills landed: a DUPLICATE is a
            // ciphertext redelivered after a kill between its batch's commit and its acknowledgement.
            System.out.printf("%s: %d kills, %d starts, steps %d..%d (%d COMPLETE), %s, DUPLICATE redeliveries refused: %d%n",
                    getClass().getSimpleName(), KILLS, headEnd.starts(), first, last,
                    expected.values().stream().filter(x -> x.missing().isEmpty()).count(), kills,
                    (long) headEnd.metric("psa_messages_rejected_total{reason=\"DUPLICATE\"}").orElse(0));
            assertFalse(expected.isEmpty());
        }
    }

    private static boolean encryptedAfter(TrueSums truth, String meterId, long label) {
        for (long t = label + 1; t <= label + 3; t++) {
            if (truth.reading(meterId, t).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** What the head-end must hold for a step: COMPLETE with {@code sum}, or INCOMPLETE missing exactly {@code missing}. */
    private record Expected(long sum, List<String> missing) {
        static Expected complete(long sum) {
            return new Expected(sum, List.of());
        }

        static Expected incomplete(List<String> missing) {
            return new Expected(-1, List.copyOf(missing));
        }

        boolean matches(JsonNode row) {
            if (missing.isEmpty()) {
                return row.get("status").asText().equals("COMPLETE") && row.get("sum").asLong() == sum;
            }
            List<String> listed = new ArrayList<>();
            row.get("missing").forEach(m -> listed.add(m.asText()));
            return row.get("status").asText().equals("INCOMPLETE") && listed.stream().sorted().toList().equals(missing.stream().sorted().toList());
        }

        @Override
        public String toString() {
            return missing.isEmpty() ? "COMPLETE " + sum : "INCOMPLETE missing " + missing.stream().collect(Collectors.joining(","));
        }
    }

    private static String config(Path dataDir, String brokerUrl, List<String> members) {
        // a fixed client id across restarts: the broker keeps the session and the ciphertexts queued for it while the
        // head-end is dead; unique per run, so no earlier run's session is picked up
        return """
                dataDir: '%s'
                mqtt:
                  broker: %s
                  clientId: psa-head-end-kill-%s
                  sessionExpirySeconds: 3600
                storage:
                  h2Sync: true
                http:
                  port: 0
                  bindAddress: 127.0.0.1
                tickMillis: 100
                groups:
                  - id: %s
                    params: %s
                    stepSeconds: %d
                    deadlineSeconds: %d
                    members: [%s]
                """.formatted(dataDir, brokerUrl, UUID.randomUUID(), GROUP, SystemRig.PARAMS.name(), STEP_SECONDS, DEADLINE_SECONDS,
                String.join(", ", members));
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        if (!pollUntil(condition)) {
            throw new AssertionError(what + ": not within " + WAIT);
        }
    }

    /** Polls until the condition holds or {@link #WAIT} has passed; returns whether it held. */
    private static boolean pollUntil(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
