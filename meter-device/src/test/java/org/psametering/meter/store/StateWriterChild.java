package org.psametering.meter.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link MeterStateKillTest}: does what a meter does per step, as fast as it can: burn the next
 * label of epoch 1 in the state file through {@link FileStateStore}, then "use" it (print it). It never stops on its
 * own; the parent kills it with SIGKILL at random moments.
 *
 * <p>Started ahead of time: it first warms up (decodes a copy of the state file, which loads the JSON and key
 * classes) and waits for "go" on stdin, so the parent can start the next child while the current one runs; only then
 * does it open the data directory (whose lock the previous child held until it was killed).
 */
public final class StateWriterChild {

    private StateWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MeterStateCodec.decode(Files.readAllBytes(dir.resolve(FileStateStore.STATE_FILE))); // warm-up only
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            return; // the parent is done with us
        }
        try (FileStateStore store = FileStateStore.open(dir)) {
            MeterState state = store.load().orElseThrow();
            System.out.println("resumed " + state.epoch(1).orElseThrow().lastLabel());
            System.out.flush();
            while (true) {
                EpochState epoch = state.epoch(1).orElseThrow();
                long next = epoch.lastLabel() + 1;
                state = new MeterState(state.meterId(), state.groupId(), List.of(epoch.withLastLabel(next)));
                store.save(state); // durable before the label is used, as in StepReporter
                System.out.println("used " + next);
                System.out.flush();
            }
        }
    }
}
