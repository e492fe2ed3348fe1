package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * One system under test: a real Mosquitto, the head-end in-process (embedded H2) and simulated meters, all on one
 * accelerated clock where a 15-minute step passes in {@link #REAL_STEP}. Waits are generous upper bounds for slow CI
 * machines; no assertion depends on how fast anything ran.
 */
final class SystemRig implements AutoCloseable {
    /** The smaller parameter set: key setup and encryption are quickest, and the protocol is the same. */
    static final PsaParameters PARAMS = PsaParameters.KHPRF_2021;
    static final int STEP_SECONDS = 900;
    static final Duration REAL_STEP = Duration.ofMillis(1500);
    static final Duration KEY_SETUP_WAIT = Duration.ofSeconds(60);
    static final Duration RESULT_WAIT = Duration.ofSeconds(45);
    static final String ID_PREFIX = "m-";

    final Path dir;
    final MosquittoBroker broker;
    final AcceleratedClock clock;
    final HeadEnd headEnd;
    /** The head-end's own network path to the broker, when the test wants to cut it; otherwise null. */
    final TcpRelay headEndLink;
    final ResultWatcher results;
    final SimulatedFleet fleet;
    private GroupSettings group;

    private SystemRig(Path dir, MosquittoBroker broker, AcceleratedClock clock, GroupSettings group, HeadEnd headEnd,
                      TcpRelay headEndLink, ResultWatcher results, SimulatedFleet fleet) {
        this.dir = dir;
        this.broker = broker;
        this.headEndLink = headEndLink;
        this.clock = clock;
        this.group = group;
        this.headEnd = headEnd;
        this.results = results;
        this.fleet = fleet;
    }

    /**
     * Starts broker, head-end (group {@code groupId} with the first {@code members} meters as members) and a fleet of up to
     * {@code fleetSize} meters with persistent data directories, none running yet.
     */
    static SystemRig start(Path dir, String groupId, int members, int fleetSize, int deadlineSeconds) {
        return start(dir, groupId, members, fleetSize, deadlineSeconds, false);
    }

    /** As above; with {@code headEndBehindRelay} the head-end reaches the broker through {@link #headEndLink}. */
    static SystemRig start(Path dir, String groupId, int members, int fleetSize, int deadlineSeconds, boolean headEndBehindRelay) {
        return start(dir, groupId, members, fleetSize, deadlineSeconds, headEndBehindRelay, true);
    }

    /** As above; with {@code persistentBroker} false the broker forgets sessions, subscriptions and retained messages on restart. */
    static SystemRig start(Path dir, String groupId, int members, int fleetSize, int deadlineSeconds, boolean headEndBehindRelay,
                           boolean persistentBroker) {
        return start(dir, groupId, members, fleetSize, deadlineSeconds, headEndBehindRelay, persistentBroker, PARAMS);
    }

    /** As above with another parameter set (e.g. a recoverable one: steps with missing meters are recovered). */
    static SystemRig start(Path dir, String groupId, int members, int fleetSize, int deadlineSeconds, boolean headEndBehindRelay,
                           boolean persistentBroker, PsaParameters params) {
        return start(dir, groupId, members, fleetSize, deadlineSeconds, headEndBehindRelay, persistentBroker, params,
                java.util.function.UnaryOperator.identity());
    }

    /** As above, with the group's settings changed by {@code tune} before the head-end starts (e.g. its mask graph). */
    static SystemRig start(Path dir, String groupId, int members, int fleetSize, int deadlineSeconds, boolean headEndBehindRelay,
                           boolean persistentBroker, PsaParameters params, java.util.function.UnaryOperator<GroupSettings> tune) {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), persistentBroker);
        TcpRelay relay = null;
        HeadEnd headEnd = null;
        ResultWatcher results = null;
        try {
            if (headEndBehindRelay) {
                relay = new TcpRelay(broker.port());
            }
            String headEndBroker = relay == null ? broker.url() : relay.url();
            Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS) + 1, STEP_SECONDS);
            AcceleratedClock clock = AcceleratedClock.startingAt(origin, AcceleratedClock.speedupFor(Duration.ofSeconds(STEP_SECONDS), REAL_STEP));
            Duration tick = Duration.ofMillis(REAL_STEP.toMillis() / 40);
            // a recovery window of a few real seconds: meters cut off and back (reconnect back-off) can still answer in it
            GroupSettings group = tune.apply(LocalHeadEndConfig.group(groupId, params.name(), STEP_SECONDS, deadlineSeconds,
                    memberIds(members)).withRecovery(null, 4 * STEP_SECONDS));
            headEnd = HeadEnd.start(LocalHeadEndConfig.of(dir.resolve("head-end"), headEndBroker, (int) tick.toMillis(), group), clock);
            results = ResultWatcher.start(broker.url(), groupId);
            FleetSpec spec = new FleetSpec(fleetSize, groupId, broker.url(), 42, dir.resolve("meters"), clock, tick, ID_PREFIX);
            return new SystemRig(dir, broker, clock, group, headEnd, relay, results, SimulatedFleet.empty(spec));
        } catch (IOException e) {
            closeQuietly(results, headEnd, relay, broker);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(results, headEnd, relay, broker);
            throw e;
        }
    }

    static List<String> memberIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> FleetSpec.meterId(ID_PREFIX, i)).toList();
    }

    void startMeters(int count) {
        for (int i = 0; i < count; i++) {
            fleet.startMeter(i);
        }
    }

    /**
     * Starts meters 0 .. count - 1, the last {@code behind} of them through {@code link} (so a test can cut their network
     * alone); returns the ids of those behind the link.
     */
    List<String> startMetersWithLastBehind(int count, int behind, TcpRelay link) {
        startMeters(count - behind);
        List<String> behindLink = new java.util.ArrayList<>();
        for (int i = count - behind; i < count; i++) {
            behindLink.add(fleet.startMeter(i, link.url()));
        }
        return behindLink;
    }

    /** Waits until {@code meters} meters hold epoch {@code epoch} active; returns its first label. */
    long awaitKeySetup(int meters, long epoch) throws InterruptedException {
        OptionalLong first = fleet.activations().awaitActive(meters, epoch, KEY_SETUP_WAIT);
        assertTrue(first.isPresent(), "key setup of epoch " + epoch + " did not finish for " + meters + " meters within " + KEY_SETUP_WAIT);
        return first.getAsLong();
    }

    /** Waits for a COMPLETE result of {@code label} and checks it against the true sum of {@code meters} readings. */
    ResultMessage assertExact(long label, int meters) throws InterruptedException {
        return assertExact(label, meters, RESULT_WAIT);
    }

    /** {@link #assertExact(long, int)} with a longer wait, for steps that depend on clients reconnecting with back-off. */
    ResultMessage assertExact(long label, int meters, Duration wait) throws InterruptedException {
        ResultMessage result = results.await(label, r -> r.status() == ResultStatus.COMPLETE, wait)
                .map(ResultWatcher.Received::result)
                .orElseThrow(() -> new AssertionError("no result at all for label " + label + " within " + wait + diagnostics()));
        assertEquals(ResultStatus.COMPLETE, result.status(), "label " + label + " not complete: " + result + diagnostics());
        OptionalLong truth = fleet.truth().sumIfAll(label, meters);
        assertTrue(truth.isPresent(), "label " + label + ": " + fleet.truth().meters(label) + " of " + meters + " meters encrypted a reading");
        assertEquals(truth.getAsLong(), result.sum().orElseThrow(), "decrypted aggregate of label " + label);
        return result;
    }

    /** What the head-end and the meters report, for failure messages. */
    String diagnostics() {
        return "; head-end rejections " + headEnd.rejections() + ", groups " + headEnd.groups() + ", meters "
                + fleet.meters().stream().map(m -> m.meterId() + "=" + m.stats()).toList() + ", results seen for labels "
                + new java.util.TreeSet<>(results.all().keySet());
    }

    /** Waits for any result of {@code label} with the given status. */
    ResultMessage awaitStatus(long label, ResultStatus status) throws InterruptedException {
        return results.await(label, r -> r.status() == status, RESULT_WAIT)
                .map(ResultWatcher.Received::result)
                .filter(r -> r.status() == status)
                .orElseThrow(() -> new AssertionError("no " + status + " result for label " + label + " within " + RESULT_WAIT
                        + "; history: " + results.history(label)));
    }

    long rejected(RejectReason reason) {
        return headEnd.rejections().getOrDefault(reason, 0L);
    }

    Map<RejectReason, Long> rejections() {
        return headEnd.rejections();
    }

    GroupSettings group() {
        return group;
    }

    /** Adds members to the group (the head-end starts a new epoch and re-keys). */
    void setMembers(int members) {
        group = group.withMembers(memberIds(members));
        headEnd.updateGroup(group);
    }

    /** Real time until simulated {@code label} has ended, plus {@code extraSteps} steps. */
    void sleepUntilEndOf(long label, double extraSteps) throws InterruptedException {
        Instant end = TimeSteps.start(label + 1, STEP_SECONDS);
        Duration simulated = Duration.between(clock.instant(), end);
        long millis = Math.max(0, clock.realDurationOf(simulated.isNegative() ? Duration.ZERO : simulated).toMillis())
                + Math.round(extraSteps * REAL_STEP.toMillis());
        Thread.sleep(millis);
    }

    @Override
    public void close() {
        try {
            fleet.close();
        } finally {
            try {
                results.close();
            } finally {
                try {
                    headEnd.close();
                } finally {
                    closeQuietly(headEndLink, broker);
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // tearing down a test rig: the first failure is the one that matters
                }
            }
        }
    }
}
