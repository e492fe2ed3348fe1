package org.psametering.cli.bench.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load-generator process must publish exactly the messages the benchmark made: topics, payloads and retain flags. */
class MessageBatchFileTest {
    @TempDir
    Path dir;

    @Test
    void messagesComeBackAsWritten() throws IOException {
        List<ParallelPublisher.Outgoing> sent = List.of(
                new ParallelPublisher.Outgoing("psa/v1/g/1/ct/m-0", new byte[] {1, 2, 3}, false),
                new ParallelPublisher.Outgoing("psa/v1/g/1/pk/m-1", new byte[49_152], true),
                new ParallelPublisher.Outgoing("psa/v1/g/1/pk/m-2", new byte[0], true));
        Path file = dir.resolve("batch");
        MessageBatchFile.write(file, sent.size(), sent::get);
        List<ParallelPublisher.Outgoing> read = MessageBatchFile.read(file);
        assertEquals(sent.size(), read.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).topic(), read.get(i).topic());
            assertEquals(sent.get(i).retained(), read.get(i).retained());
            assertArrayEquals(sent.get(i).payload(), read.get(i).payload());
        }
    }

    @Test
    void aTruncatedOrForeignFileIsRefused() throws IOException {
        Path file = dir.resolve("batch");
        MessageBatchFile.write(file, 1, i -> new ParallelPublisher.Outgoing("t", new byte[10], false));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertThrows(IOException.class, () -> MessageBatchFile.read(file));
        Files.write(file, new byte[] {'n', 'o', 't', ' ', 'o', 'u', 'r', 's', 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> MessageBatchFile.read(file));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
