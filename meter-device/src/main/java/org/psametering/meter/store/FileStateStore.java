package org.psametering.meter.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The state as {@code meter-state.json} ({@link MeterStateCodec}) in the meter's data directory, written atomically and
 * owner-only. The directory is locked while open: two processes sharing one data directory would encrypt the same
 * labels under the same key, which is exactly what the scheme must never do.
 */
public final class FileStateStore implements StateStore {

    public static final String STATE_FILE = "meter-state.json";
    static final String LOCK_FILE = "meter.lock";

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FileStateStore(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed (0700) and takes its lock; fails clearly if another process holds it. */
    public static FileStateStore open(Path dataDir) throws IOException {
        AtomicFiles.ensurePrivateDirectory(dataDir);
        FileChannel channel = AtomicFiles.openPrivate(dataDir.resolve(LOCK_FILE));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dataDir + " is in use by another meter process");
        }
        return new FileStateStore(dataDir.resolve(STATE_FILE), channel, lock);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<MeterState> load() {
        try {
            return AtomicFiles.read(file).map(bytes -> {
                try {
                    return MeterStateCodec.decode(bytes);
                } catch (CorruptStateException e) {
                    throw new CorruptStateException("state file " + file + ": " + e.getMessage()
                            + ". Restore it from a backup, or move it aside: the meter then rejoins its group with fresh"
                            + " keys at the next epoch.", e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state file " + file, e);
        }
    }

    @Override
    public void save(MeterState state) {
        try {
            AtomicFiles.write(file, MeterStateCodec.encode(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lock of " + file.getParent(), e);
        }
    }
}
