package org.psametering.meter.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path tmp;

    private static byte[] payload(long label) {
        return new byte[] {(byte) label, (byte) (label >> 8), 7};
    }

    private static List<Long> labels(Outbox outbox) {
        return outbox.snapshot().stream().map(OutboxEntry::label).toList();
    }

    @Test
    void fullOutboxDropsOldestFirstAndCountsIt() {
        Outbox outbox = new Outbox(3, OutboxStore.NONE);
        for (long label = 10; label < 15; label++) {
            outbox.add(label, "psa/v1/g/1/ct/m", payload(label));
        }
        assertEquals(List.of(12L, 13L, 14L), labels(outbox));
        assertEquals(2, outbox.droppedCount());
    }

    @Test
    void anAcknowledgementThatRemovesAnEntryIsReportedOnce() {
        List<OutboxEntry> heard = new java.util.ArrayList<>();
        Outbox outbox = new Outbox(10, OutboxStore.NONE, heard::add);
        OutboxEntry a = outbox.add(1, "psa/v1/g/1/ct/m", payload(1));
        outbox.add(2, "psa/v1/g/1/ct/m", payload(2));
        outbox.acknowledge(a.sequence());
        outbox.acknowledge(a.sequence()); // a repeated PUBACK for the same entry
        outbox.acknowledge(999); // unknown: dropped or never queued
        assertEquals(List.of(a), heard);
        assertEquals(List.of(2L), labels(outbox));
    }

    @Test
    void oldestExceptSkipsInFlightEntries() {
        Outbox outbox = new Outbox(10, OutboxStore.NONE);
        OutboxEntry a = outbox.add(1, "t", payload(1));
        OutboxEntry b = outbox.add(2, "t", payload(2));
        assertEquals(a, outbox.oldestExcept(Set.of()).orElseThrow());
        assertEquals(b, outbox.oldestExcept(Set.of(a.sequence())).orElseThrow());
        assertTrue(outbox.oldestExcept(Set.of(a.sequence(), b.sequence())).isEmpty());
    }

    @Test
    void survivesRestartWithOrderSequencesAndPayloads() {
        Path file = tmp.resolve("outbox.bin");
        Outbox first = new Outbox(100, OutboxStore.file(file));
        for (long label = 1; label <= 5; label++) {
            first.add(label, "psa/v1/g/3/ct/meter-1", payload(label));
        }
        first.acknowledge(first.snapshot().get(0).sequence());
        first.flush();

        Outbox restarted = new Outbox(100, OutboxStore.file(file));
        assertEquals(first.snapshot(), restarted.snapshot());
        assertEquals(List.of(2L, 3L, 4L, 5L), labels(restarted));
        OutboxEntry next = restarted.add(6, "t", payload(6));
        assertTrue(next.sequence() > first.snapshot().get(3).sequence(), "sequences keep increasing after a restart");
    }

    @Test
    void addedEntryIsOnDiskBeforeAddReturns() {
        Path file = tmp.resolve("outbox.bin");
        Outbox outbox = new Outbox(100, OutboxStore.file(file));
        outbox.add(42, "t", payload(42));
        // no flush, no close: a crash right now must not lose the entry
        assertEquals(List.of(42L), labels(new Outbox(100, OutboxStore.file(file))));
    }

    @Test
    void acknowledgementsAreSavedInBatchesAndWhenEmpty() {
        Path file = tmp.resolve("outbox.bin");
        Outbox outbox = new Outbox(1000, OutboxStore.file(file));
        int n = Outbox.ACK_SAVE_BATCH + 5;
        for (long label = 0; label < n; label++) {
            outbox.add(label, "t", payload(label));
        }
        for (int i = 0; i < Outbox.ACK_SAVE_BATCH; i++) {
            outbox.acknowledge(outbox.snapshot().get(0).sequence());
        }
        assertEquals(5, new Outbox(1000, OutboxStore.file(file)).size(), "a full batch of acks is saved");
        outbox.acknowledge(outbox.snapshot().get(0).sequence());
        assertEquals(5, new Outbox(1000, OutboxStore.file(file)).size(), "a partial batch may be re-sent after a crash");
        while (outbox.size() > 0) {
            outbox.acknowledge(outbox.snapshot().get(0).sequence());
        }
        assertEquals(0, new Outbox(1000, OutboxStore.file(file)).size(), "emptying is saved at once");
    }

    @Test
    void smallerCapacityAfterRestartKeepsTheNewest() {
        Path file = tmp.resolve("outbox.bin");
        Outbox big = new Outbox(10, OutboxStore.file(file));
        for (long label = 1; label <= 6; label++) {
            big.add(label, "t", payload(label));
        }
        Outbox small = new Outbox(2, OutboxStore.file(file));
        assertEquals(List.of(5L, 6L), labels(small));
        assertEquals(4, small.droppedCount());
    }

    @Test
    void damagedFileIsAClearErrorNamingTheFile() throws IOException {
        Path file = tmp.resolve("outbox.bin");
        Outbox outbox = new Outbox(10, OutboxStore.file(file));
        outbox.add(1, "t", payload(1));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        CorruptOutboxException e = assertThrows(CorruptOutboxException.class, () -> new Outbox(10, OutboxStore.file(file)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }
}
