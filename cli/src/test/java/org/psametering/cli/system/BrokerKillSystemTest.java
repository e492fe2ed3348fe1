package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.meter.MeterHandle;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.Topics;
import org.psametering.protocol.TimeSteps;

/**
 * The broker is killed (SIGKILL) across a step's deadline, three times in a row, while the meters
 * keep reporting. After each restart a broker without persistence has forgotten the head-end's subscriptions and every retained message:
 * the head-end must subscribe again and republish its retained announcement, and later steps must be COMPLETE with
 * the exact sum. (Found by a black-box run: after one such restart the head-end stayed connected but deaf for good.)
 */
class BrokerKillSystemTest {
    private static final int METERS = 3;
    private static final int DEADLINE_SECONDS = SystemRig.STEP_SECONDS / 3;
    private static final int KILLS = 3;
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(120);

    /**
     * With persistence too: SIGKILL gives Mosquitto no chance to save, so it comes back with whatever it saved last
     * (here: nothing yet), which is the same test in a different order of forgetting.
     */
    @ParameterizedTest(name = "persistent broker: {0}")
    @ValueSource(booleans = {false, true})
    void theHeadEndRecoversSubscriptionsAndRetainedStateAfterEveryKill(boolean persistent, @TempDir Path dir) throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-broker-kill", METERS, METERS, DEADLINE_SECONDS, false, persistent)) {
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            String announce = Topics.announce("g-broker-kill");
            for (int kill = 1; kill <= KILLS; kill++) {
                rig.broker.kill();
                awaitCondition("kill " + kill + ": the head-end notices the lost link", () -> !rig.headEnd.mqttConnected());
                long down = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS);
                // the step ends and its deadline passes with the broker dead; away longer than the first reconnect delay, as
                // a real restart is, so the head-end meets it absent (a broker present at once would look like a takeover)
                rig.sleepUntilEndOf(down, 1.0);
                rig.broker.restart();

                awaitCondition("kill " + kill + ": the head-end is connected again", rig.headEnd::mqttConnected);
                awaitCondition("kill " + kill + ": the head-end republished its retained announcement",
                        () -> retainedAnnouncementIsActive(rig, announce));
                awaitCondition("kill " + kill + ": every meter is connected again", () -> allConnected(rig.fleet));
                // a step that starts once everyone is back: every member's reading must arrive and be summed exactly
                long later = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
                rig.assertExact(later, METERS, RECOVERY_WAIT);
            }
            assertEquals(KILLS, rig.headEnd.mqttStatus().reconnects(), "one reconnection per kill");
            assertEquals(0, rig.headEnd.mqttStatus().sessionTakeovers(), "broker restarts are not session takeovers");
        }
    }

    private static boolean retainedAnnouncementIsActive(SystemRig rig, String topic) {
        try {
            return RetainedProbe.one(rig.broker.url(), topic).map(p -> GroupAnnouncement.fromJson(org.psametering.protocol.SignedMessage.parse(p).unverifiedBody()))
                    .filter(a -> a.activeFromLabel().isPresent()).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean allConnected(SimulatedFleet fleet) {
        return fleet.meters().stream().allMatch(MeterHandle::isConnected);
    }

    /** Polls until the condition holds; fails naming it after {@link #RECOVERY_WAIT}. */
    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + RECOVERY_WAIT);
            }
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
