package org.psametering.cli.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.psametering.cli.sim.TrueSums;
import org.psametering.headend.GroupStatus;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.FileStateStore;

/**
 * Counts stopped meters whose saved state holds an epoch newer than the head-end's newest: only a forged announcement
 * can have put it there, and a meter pinned to such an epoch ignores the next real re-key.
 */
final class BogusEpochs {
    private BogusEpochs() {
    }

    /** The meters whose saved state holds such an epoch. */
    static List<String> meters(SoakSystem system, List<String> harnessErrors) {
        long newestReal = system.headEnd.groups().stream().filter(g -> g.group().equals(SoakSystem.GROUP)).mapToLong(GroupStatus::epoch)
                .max().orElse(0);
        List<String> meters = new ArrayList<>();
        for (int i = 0; i < system.settings.meters(); i++) {
            String id = system.fleet.spec().meterId(i);
            try (FileStateStore store = FileStateStore.open(system.fleet.dataDirOf(i))) {
                long newest = store.load().map(s -> s.epochs().stream().mapToLong(EpochState::epoch).max().orElse(-1L)).orElse(-1L);
                if (newest > newestReal) {
                    meters.add(id);
                }
            } catch (IOException | RuntimeException e) {
                harnessErrors.add("cannot read the state of meter " + id + ": " + e.getMessage());
            }
        }
        return meters;
    }

    /** How many of {@code meters} encrypted a reading for one of the last three steps any meter reported. */
    static long stillReporting(List<String> meters, TrueSums truth) {
        long last = truth.labels().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        return meters.stream().filter(m -> LongStream.rangeClosed(last - 2, last).anyMatch(l -> truth.reading(m, l).isPresent())).count();
    }
}
