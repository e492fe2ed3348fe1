package org.psametering.cli.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.meter.MeterDevice;
import org.psametering.meter.store.AtomicFiles;
import org.psametering.meter.store.FileStateStore;

/**
 * Stops a simulated meter as a crash (kill -9, power cut) would leave it, without a meter process of its own:
 * <ol>
 *   <li>its link is cut, so the broker sees the connection drop without a DISCONNECT and no acknowledgement arrives any more;</li>
 *   <li>the files in its data directory are copied, outbox first: that copy is what a crash at this instant leaves on disk,
 *       since every file is replaced atomically and the state is saved before the outbox entry it covers;</li>
 *   <li>the meter is closed, which saves acknowledgements it had batched; if its state file did not change meanwhile, the
 *       copied outbox is put back, so on restart it re-sends what a crashed meter would re-send. (If a step was encrypted
 *       in between, the closed meter's files are kept: putting back the older state could reuse a label, which a real
 *       crash cannot.)</li>
 * </ol>
 */
final class MeterCrash {
    private MeterCrash() {
    }

    /** Crashes meter {@code index}; returns true if its data directory now holds the crash image, false if the clean one. */
    static boolean crash(SimulatedFleet fleet, int index, TcpRelay link) {
        link.cut();
        Path dir = fleet.dataDirOf(index);
        Path outboxFile = dir.resolve(MeterDevice.OUTBOX_FILE);
        Path stateFile = dir.resolve(FileStateStore.STATE_FILE);
        Optional<byte[]> outbox = read(outboxFile);
        Optional<byte[]> state = read(stateFile);
        fleet.stopMeter(index);
        Optional<byte[]> stateAfter = read(stateFile);
        if (!sameContent(state, stateAfter)) {
            return false;
        }
        try {
            if (outbox.isPresent()) {
                AtomicFiles.write(outboxFile, outbox.get());
            } else {
                Files.deleteIfExists(outboxFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put back the crash image of " + outboxFile, e);
        }
        return true;
    }

    /** Starts the crashed meter again from its data directory, behind its restored link. */
    static void restart(SimulatedFleet fleet, int index, TcpRelay link) {
        link.restore();
        fleet.startMeter(index, link.url());
    }

    private static Optional<byte[]> read(Path file) {
        try {
            return AtomicFiles.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean sameContent(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }
}
