package org.psametering.meter.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class OutboxCodecTest {

    private static final List<OutboxEntry> ENTRIES = List.of(
            new OutboxEntry(1, 100, "psa/v1/g/2/ct/m-1", new byte[] {1, 2, 3}),
            new OutboxEntry(5, -3, "psa/v1/g/2/ct/m-1", new byte[0]));

    @Test
    void roundTripsEntries() {
        assertEquals(ENTRIES, OutboxCodec.decode(OutboxCodec.encode(ENTRIES)));
        assertEquals(List.of(), OutboxCodec.decode(OutboxCodec.encode(List.of())));
    }

    @Test
    void headerIsMagicThenVersion() {
        byte[] bytes = OutboxCodec.encode(ENTRIES);
        assertEquals("PSAO", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(OutboxCodec.VERSION, bytes[4]);
    }

    @Test
    void rejectsUnknownVersionTruncationAndDisorder() {
        byte[] good = OutboxCodec.encode(ENTRIES);

        byte[] future = good.clone();
        future[4] = 2;
        assertMessage("version 2", () -> OutboxCodec.decode(future));

        byte[] truncated = withCrc(Arrays.copyOf(good, good.length - 6));
        assertMessage("truncated", () -> OutboxCodec.decode(truncated));

        byte[] swapped = OutboxCodec.encode(List.of(ENTRIES.get(0), new OutboxEntry(0, 1, "t", new byte[0])));
        assertMessage("out of order", () -> OutboxCodec.decode(swapped));

        assertMessage("too short", () -> OutboxCodec.decode(new byte[3]));
        byte[] notOurs = good.clone();
        notOurs[0] = 'X';
        assertMessage("magic", () -> OutboxCodec.decode(notOurs));
    }

    /** Re-seals a body whose last four bytes are replaced by a valid checksum, to reach the structural checks. */
    private static byte[] withCrc(byte[] bodyAndOldCrc) {
        CRC32C crc = new CRC32C();
        crc.update(bodyAndOldCrc, 0, bodyAndOldCrc.length - 4);
        int v = (int) crc.getValue();
        int n = bodyAndOldCrc.length;
        bodyAndOldCrc[n - 4] = (byte) (v >>> 24);
        bodyAndOldCrc[n - 3] = (byte) (v >>> 16);
        bodyAndOldCrc[n - 2] = (byte) (v >>> 8);
        bodyAndOldCrc[n - 1] = (byte) v;
        return bodyAndOldCrc;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        CorruptOutboxException e = assertThrows(CorruptOutboxException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
