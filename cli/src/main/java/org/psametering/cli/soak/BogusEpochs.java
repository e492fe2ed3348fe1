package org.psametering.cli.soak;

import java.io.IOException;
import java.util.List;
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

    static long count(SoakSystem system, List<String> harnessErrors) {
        long newestReal = system.headEnd.groups().stream().filter(g -> g.group().equals(SoakSystem.GROUP)).mapToLong(GroupStatus::epoch)
                .max().orElse(0);
        long count = 0;
        for (int i = 0; i < system.settings.meters(); i++) {
            try (FileStateStore store = FileStateStore.open(system.fleet.dataDirOf(i))) {
                long newest = store.load().map(s -> s.epochs().stream().mapToLong(EpochState::epoch).max().orElse(-1L)).orElse(-1L);
                count += newest > newestReal ? 1 : 0;
            } catch (IOException | RuntimeException e) {
                harnessErrors.add("cannot read the state of meter " + system.fleet.spec().meterId(i) + ": " + e.getMessage());
            }
        }
        return count;
    }
}
