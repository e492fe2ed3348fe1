package org.psametering.cli.bench.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The messages one publish round hands from the benchmark to the load-generator process: a private scratch file of this
 * benchmark, not a protocol encoding. Layout: magic "PSALOAD1", int count, then per message: UTF topic, boolean
 * retained, int payload length, payload bytes (java.io.DataOutput conventions, big-endian).
 */
final class MessageBatchFile {
    private static final long MAGIC = 0x5053414c4f414431L; // "PSALOAD1"

    private MessageBatchFile() {
    }

    static void write(Path file, int count, IntFunction<ParallelPublisher.Outgoing> messageAt) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(MAGIC);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                ParallelPublisher.Outgoing m = messageAt.apply(i);
                out.writeUTF(m.topic());
                out.writeBoolean(m.retained());
                out.writeInt(m.payload().length);
                out.write(m.payload());
            }
        }
    }

    static List<ParallelPublisher.Outgoing> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readLong() != MAGIC) {
                throw new IOException(file + " is not a load-generator batch (wrong magic)");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": negative message count " + count);
            }
            List<ParallelPublisher.Outgoing> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = in.readUTF();
                boolean retained = in.readBoolean();
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException(file + ": negative payload length at message " + i);
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                messages.add(new ParallelPublisher.Outgoing(topic, payload, retained));
            }
            if (in.read() != -1) {
                throw new IOException(file + ": bytes after the last of " + count + " messages");
            }
            return messages;
        }
    }
}
