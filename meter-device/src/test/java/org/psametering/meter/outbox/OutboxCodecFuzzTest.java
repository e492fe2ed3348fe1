package org.psametering.meter.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz targets for the meter's outbox file. Property: any file either decodes, and then encodes to exactly the same
 * bytes (the format is canonical), or throws {@link CorruptOutboxException}; any other exception, an OutOfMemoryError
 * (e.g. from a declared count or length) or a hang is a finding.
 */
class OutboxCodecFuzzTest {

    /** The file as found on disk: mostly stopped by the checksum. */
    @FuzzTest
    void file(byte[] input) {
        decodeAndReencode(input);
    }

    /** The input is everything before the checksum, which the target appends: reaches the entry parser every time. */
    @FuzzTest
    void checksummedBody(byte[] input) {
        decodeAndReencode(withCrc(input));
    }

    private static void decodeAndReencode(byte[] file) {
        List<OutboxEntry> entries;
        try {
            entries = OutboxCodec.decode(file);
        } catch (CorruptOutboxException expected) {
            return;
        }
        assertArrayEquals(file, OutboxCodec.encode(entries));
    }

    private static byte[] withCrc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=OutboxCodecFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        byte[] two = OutboxCodec.encode(List.of(
                new OutboxEntry(1, 1_953_000, "psa/v1/feeder-1/4/ct/meter-00001", new byte[50]),
                new OutboxEntry(2, 1_953_001, "psa/v1/feeder-1/4/ct/meter-00001", new byte[]{1, 1, 0, 0, 0, 28})));
        byte[] empty = OutboxCodec.encode(List.of());
        SeedCorpus corpus = new SeedCorpus(getClass());
        corpus.write("file", seeds("two-entries", two, "empty", empty, "bad-crc", SeedCorpus.with(two, 9, 0x55)));
        byte[] body = Arrays.copyOf(two, two.length - 4);
        byte[] hugeCount = Arrays.copyOf(empty, empty.length - 4);
        hugeCount[5] = (byte) 0xff; // count 0xff000000: must not pre-allocate
        byte[] hugePayload = body.clone();
        hugePayload[5 + 4 + 8 + 8 + 2 + 32] = 0x7f; // first entry's payload length about 2 GiB
        corpus.write("checksummedBody", seeds("two-entries", body, "no-entries", Arrays.copyOf(empty, empty.length - 4),
                "huge-count", hugeCount, "huge-payload", hugePayload, "out-of-order", SeedCorpus.with(body, 5 + 4 + 7, 9)));
    }
}
