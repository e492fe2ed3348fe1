package org.psametering.meter.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.psametering.meter.store.AtomicFiles;

/** Where the outbox survives restarts. */
public interface OutboxStore {

    List<OutboxEntry> load();

    void save(List<OutboxEntry> entries);

    /** Keeps nothing: for simulated meters in load tests, whose outbox need not outlive the process. */
    OutboxStore NONE = new OutboxStore() {
        @Override
        public List<OutboxEntry> load() {
            return List.of();
        }

        @Override
        public void save(List<OutboxEntry> entries) {
        }
    };

    /** The {@link OutboxCodec} format in one atomically replaced, owner-only file. */
    static OutboxStore file(Path file) {
        return new OutboxStore() {
            @Override
            public List<OutboxEntry> load() {
                try {
                    return AtomicFiles.read(file).map(OutboxCodec::decode).orElse(List.of());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read outbox " + file, e);
                } catch (CorruptOutboxException e) {
                    throw new CorruptOutboxException("outbox " + file + ": " + e.getMessage()
                            + " (move the file aside to start with an empty outbox)", e);
                }
            }

            @Override
            public void save(List<OutboxEntry> entries) {
                try {
                    AtomicFiles.write(file, OutboxCodec.encode(entries));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write outbox " + file, e);
                }
            }
        };
    }
}
