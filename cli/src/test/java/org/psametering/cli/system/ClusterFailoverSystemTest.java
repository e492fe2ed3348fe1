package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.sim.TrueSums;
import org.psametering.meter.MeterHandle;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * Issue 12, part 2: three head-ends as separate JVMs share the groups through a fresh database on the local PostgreSQL
 * and one real Mosquitto; meters of three groups of five run in this JVM on the real clock. The instance owning a
 * group is {@code kill -9}ed in the middle of a step, then another, then (after restarting the dead ones) two more.
 *
 * <p>The invariant, as in {@link HeadEndKillSystemTest}: a meter's ciphertext leaves its outbox only when the broker
 * acknowledged it, and the broker keeps it in the group's persistent session until an owner stored it. So for every
 * group and step t of the run, with E(t) the meters that encrypted a reading for t, the database holds exactly one
 * result, COMPLETE with the true sum when E(t) is every member, and every result published for t is that one (never
 * a second value). Nothing is timed in the assertions; the failover time (kill → the first step of one of the killed
 * instance's groups aggregated by a survivor) is measured and printed.
 */
class ClusterFailoverSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    private static final List<String> GROUPS = List.of("g-cluster-a", "g-cluster-b", "g-cluster-c");
    private static final int METERS_PER_GROUP = 5;
    private static final int STEP_SECONDS = 4;
    /** Longer than a takeover (lease 10 s + renewal 3 s + loading): a step whose owner died still ends COMPLETE once. */
    private static final int DEADLINE_SECONDS = 45;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void killedHeadEndsGroupsAreTakenOverAndEveryStepEndsOnceWithTheTrueSum(@TempDir Path dir) throws Exception {
        String database = "psa_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        createDatabase(database);
        String clientId = "psa-cluster-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, ResultWatcher> watchers = new LinkedHashMap<>();
        List<SimulatedFleet> fleets = new ArrayList<>();
        List<HeadEndProcess> headEnds = new ArrayList<>();
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), true)) {
            for (int i = 0; i < 3; i++) {
                headEnds.add(HeadEndProcess.configure(dir.resolve("head-end-" + i),
                        config(dir.resolve("head-end-" + i + "/data"), broker.url(), clientId, database, "head-end-" + i)));
            }
            for (String group : GROUPS) {
                watchers.put(group, ResultWatcher.start(broker.url(), group));
            }
            for (HeadEndProcess headEnd : headEnds) {
                headEnd.start();
                headEnd.awaitHealthUp(WAIT);
            }
            awaitCondition("the three instances split the groups one each", () -> headEnds.stream().allMatch(h -> owned(h).size() == 1),
                    headEnds);
            for (String group : GROUPS) {
                SimulatedFleet fleet = SimulatedFleet.empty(new FleetSpec(METERS_PER_GROUP, group, broker.url(), group.hashCode(),
                        dir.resolve("meters-" + group), Clock.systemUTC(), Duration.ofMillis(50), group.substring(group.length() - 1) + "-m-"));
                fleets.add(fleet);
                IntStream.range(0, METERS_PER_GROUP).forEach(fleet::startMeter);
            }
            Map<String, Long> firstActive = new HashMap<>();
            for (SimulatedFleet fleet : fleets) {
                OptionalLong active = fleet.activations().awaitActive(METERS_PER_GROUP, 0, WAIT);
                assertTrue(active.isPresent(), fleet.spec().groupId() + ": key setup did not finish within " + WAIT);
                firstActive.put(fleet.spec().groupId(), active.getAsLong());
            }

            List<Double> failoverSeconds = new ArrayList<>();
            List<String> kills = new ArrayList<>();
            // kill the owner of a group, then another; restart both; kill two more (the survivor of the first round among them)
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 2; k++) {
                    HeadEndProcess victim = headEnds.stream().filter(h -> h.isAlive() && !owned(h).isEmpty()).findFirst().orElseThrow();
                    List<String> groups = owned(victim);
                    Map<String, Set<Long>> before = new HashMap<>();
                    // a moment after a step boundary, when the meters publish: the kill falls inside a step's burst
                    Thread.sleep(Math.max(0, Duration.between(Instant.now(),
                            TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS) + 1, STEP_SECONDS)).toMillis() + 100));
                    for (String group : groups) {
                        before.put(group, Set.copyOf(watchers.get(group).all().keySet()));
                    }
                    long killedAt = System.nanoTime();
                    int exit = victim.kill();
                    assertEquals(128 + 9, exit, "the head-end ran until SIGKILL\n" + victim.logTail());
                    // the first step of one of its groups whose result a survivor published
                    long[] firstNew = {0};
                    awaitCondition("a survivor aggregates a step of " + groups, () -> {
                        for (String group : groups) {
                            for (Map.Entry<Long, ResultWatcher.Received> e : watchers.get(group).all().entrySet()) {
                                if (!before.get(group).contains(e.getKey()) && e.getValue().arrivedNanos() > killedAt) {
                                    firstNew[0] = e.getValue().arrivedNanos();
                                    return true;
                                }
                            }
                        }
                        return false;
                    }, headEnds);
                    double seconds = (firstNew[0] - killedAt) / 1e9;
                    failoverSeconds.add(seconds);
                    kills.add("killed " + victim.name() + " owning " + groups + ": first step by a survivor after " + "%.1f s".formatted(seconds));
                    awaitCondition("the survivors own every group", () -> headEnds.stream().filter(HeadEndProcess::isAlive)
                            .mapToInt(h -> owned(h).size()).sum() == GROUPS.size(), headEnds);
                }
                if (round == 0) {
                    for (HeadEndProcess headEnd : headEnds) {
                        if (!headEnd.isAlive()) {
                            headEnd.start();
                            headEnd.awaitHealthUp(WAIT);
                        }
                    }
                    awaitCondition("the restarted instances take their share again",
                            () -> headEnds.stream().allMatch(h -> owned(h).size() == 1), headEnds);
                }
            }

            // every meter goes on past a step that began after the last kill, and the broker acknowledged all of it
            long last = TimeSteps.label(Instant.now(), STEP_SECONDS) + 1;
            awaitCondition("every meter encrypted a step after " + last + " and the broker acknowledged everything it sent",
                    () -> fleets.stream().allMatch(f -> f.meters().stream().allMatch(m -> encryptedAfter(f.truth(), m.meterId(), last)
                            && m.stats().outboxSize() == 0)), headEnds);
            HeadEndProcess survivor = headEnds.stream().filter(HeadEndProcess::isAlive).findFirst().orElseThrow();
            int steps = 0;
            for (SimulatedFleet fleet : fleets) {
                String group = fleet.spec().groupId();
                TrueSums truth = fleet.truth();
                for (MeterHandle meter : fleet.meters()) {
                    assertEquals(0, meter.stats().outboxDropped(), meter.meterId() + " dropped ciphertexts");
                }
                assertEquals(0, truth.reusedLabels(), group + ": a meter encrypted a label twice");
                List<String> members = fleet.meters().stream().map(MeterHandle::meterId).sorted().toList();
                long first = firstActive.get(group);
                Map<Long, List<JsonNode>> stored = new HashMap<>();
                BooleanSupplier settled = () -> {
                    stored.clear();
                    stored.putAll(survivor.storedResults(group, first, last, STEP_SECONDS));
                    return IntStream.rangeClosed(0, (int) (last - first)).allMatch(i -> stored.getOrDefault(first + i, List.of()).size() == 1
                            && matches(stored.get(first + i).get(0), members, truth, first + i));
                };
                pollUntil(settled);
                for (long t = first; t <= last; t++) {
                    List<JsonNode> rows = stored.getOrDefault(t, List.of());
                    assertEquals(1, rows.size(), group + " step " + t + ": exactly one result, got " + rows + "; " + kills);
                    assertTrue(matches(rows.get(0), members, truth, t), group + " step " + t + ": stored " + rows.get(0) + ", true sum "
                            + truth.sum(t) + " of " + truth.meters(t) + " meters; " + kills);
                    long label = t;
                    awaitCondition(group + " step " + t + ": published", () -> watchers.get(group).latest(label).isPresent(), headEnds);
                    ResultStatus status = ResultStatus.valueOf(rows.get(0).get("status").asText());
                    for (ResultMessage published : watchers.get(group).history(t)) {
                        // the new owner may publish again a result the dead one stored: the same value, never another
                        assertEquals(status, published.status(), group + " step " + t + ": published " + published + "; " + kills);
                        if (status == ResultStatus.COMPLETE) {
                            assertEquals(truth.sum(t), published.sum().orElseThrow(), group + " step " + t + ": published sum; " + kills);
                        }
                    }
                    steps++;
                }
            }
            List<Double> sorted = failoverSeconds.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf("%s: %d steps over %d groups checked; %s; failover (kill -9 -> first step aggregated by the new owner):"
                    + " median %.1f s of %s (lease 10 s, renewal 3 s)%n", getClass().getSimpleName(), steps, GROUPS.size(), kills, median, sorted);
            assertFalse(failoverSeconds.isEmpty());
        } finally {
            fleets.forEach(SimulatedFleet::close);
            watchers.values().forEach(ResultWatcher::close);
            headEnds.forEach(HeadEndProcess::close);
            dropDatabase(database);
        }
    }

    /** COMPLETE with the true sum when every member encrypted a reading for t; otherwise not COMPLETE, missing the others. */
    private static boolean matches(JsonNode row, List<String> members, TrueSums truth, long t) {
        List<String> missing = members.stream().filter(m -> truth.reading(m, t).isEmpty()).toList();
        if (missing.isEmpty()) {
            return row.get("status").asText().equals("COMPLETE") && row.get("sum").asLong() == truth.sum(t);
        }
        List<String> listed = new ArrayList<>();
        row.get("missing").forEach(m -> listed.add(m.asText()));
        return !row.get("status").asText().equals("COMPLETE") && listed.stream().sorted().toList().equals(missing);
    }

    private static List<String> owned(HeadEndProcess headEnd) {
        if (!headEnd.isAlive()) {
            return List.of();
        }
        try {
            HttpResponse<String> health = headEnd.get("/health");
            List<String> groups = new ArrayList<>();
            JsonNode cluster = JSON.readTree(health.body()).get("cluster");
            if (cluster != null) {
                cluster.get("groupsOwned").forEach(g -> groups.add(g.asText()));
            }
            return groups;
        } catch (Exception e) {
            return List.of();
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

    private static String config(Path dataDir, String brokerUrl, String clientId, String database, String instance) {
        StringBuilder groups = new StringBuilder();
        for (String group : GROUPS) {
            String prefix = group.substring(group.length() - 1) + "-m-";
            groups.append("""
                      - id: %s
                        params: %s
                        stepSeconds: %d
                        deadlineSeconds: %d
                        members: [%s]
                    """.formatted(group, SystemRig.PARAMS.name(), STEP_SECONDS, DEADLINE_SECONDS,
                    String.join(", ", IntStream.range(0, METERS_PER_GROUP).mapToObj(i -> FleetSpec.meterId(prefix, i)).toList())));
        }
        return """
                dataDir: '%s'
                mqtt:
                  broker: %s
                  clientId: %s
                  sessionExpirySeconds: 3600
                storage:
                  jdbcUrl: '%s'
                  user: postgres
                http:
                  port: 0
                  bindAddress: 127.0.0.1
                tickMillis: 100
                cluster:
                  instanceId: %s
                groups:
                %s""".formatted(dataDir, brokerUrl, clientId, PG + database, instance, groups);
    }

    private static void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (user postgres) is unreachable, cluster failover test skipped: " + e.getMessage());
        }
    }

    private static void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("cannot drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition, List<HeadEndProcess> headEnds) throws InterruptedException {
        if (!pollUntil(condition)) {
            StringBuilder logs = new StringBuilder();
            for (HeadEndProcess h : headEnds) {
                logs.append("\n--- ").append(h.name()).append(h.isAlive() ? " (running)" : " (dead)").append(":\n").append(h.logTail());
            }
            throw new AssertionError(what + ": not within " + WAIT + logs);
        }
    }

    private static boolean pollUntil(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
