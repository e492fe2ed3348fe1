package org.psametering.cli.demo;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.core.EpochPhase;

/** Follows the group's key setup on the head-end and reports each milestone once, until every meter holds the active key. */
final class KeySetupProgress {
    private static final Duration POLL = Duration.ofMillis(50);

    private final HeadEnd headEnd;
    private final String group;
    private final DemoReport report;

    KeySetupProgress(HeadEnd headEnd, String group, DemoReport report) {
        this.headEnd = headEnd;
        this.group = group;
        this.report = report;
    }

    /** Returns the first label of the active epoch once every meter knows it, or empty after {@code timeout}. */
    OptionalLong await(SimulatedFleet fleet, Duration timeout) throws InterruptedException {
        int meters = fleet.spec().meters();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean keysReported = false;
        boolean blindedReported = false;
        boolean activeReported = false;
        while (System.nanoTime() < deadline) {
            Optional<GroupStatus> status = headEnd.groups().stream().filter(s -> s.group().equals(group)).findFirst();
            if (status.isPresent()) {
                GroupStatus s = status.get();
                boolean active = s.phase() == EpochPhase.ACTIVE && s.activeFrom().isPresent();
                if (!keysReported && (active || s.publicKeysReceived() == meters)) {
                    report.publicKeysCollected(meters);
                    keysReported = true;
                }
                if (!blindedReported && (active || s.blindedKeysReceived() == meters)) {
                    report.blindedKeysCollected(meters);
                    blindedReported = true;
                }
                if (!activeReported && active) {
                    report.aggregationKeyDerived(s.epoch(), s.activeFrom().getAsLong());
                    activeReported = true;
                }
                if (activeReported) {
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    OptionalLong label = fleet.activations().awaitActive(meters, s.epoch(), left);
                    label.ifPresent(l -> report.metersActive(meters));
                    return label;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return OptionalLong.empty();
    }
}
