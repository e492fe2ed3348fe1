package org.psametering.meter.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Binary file format of the persisted outbox, version 1 (big-endian):
 *
 * <pre>
 *   magic    4 bytes  "PSAO"
 *   version  u8       1
 *   count    u32      number of entries, oldest first
 *   entries  count x { sequence i64, label i64, topicLength u16, topic UTF-8, payloadLength u32, payload }
 *   crc      u32      CRC-32C of every byte before it
 * </pre>
 *
 * The checksum turns a damaged file into a clear error instead of garbage being published.
 */
public final class OutboxCodec {

    static final byte[] MAGIC = {'P', 'S', 'A', 'O'};
    static final int VERSION = 1;
    /** Ciphertext messages are tiny; anything larger is damage, not data. */
    static final int MAX_PAYLOAD = 64 * 1024;

    private OutboxCodec() {
    }

    public static byte[] encode(List<OutboxEntry> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(entries.size());
            for (OutboxEntry e : entries) {
                byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
                out.writeLong(e.sequence());
                out.writeLong(e.label());
                out.writeShort(topic.length);
                out.write(topic);
                byte[] payload = e.payloadView();
                out.writeInt(payload.length);
                out.write(payload);
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
    }

    /** @throws CorruptOutboxException naming what is wrong */
    public static List<OutboxEntry> decode(byte[] data) {
        if (data.length < MAGIC.length + 1 + 4 + 4) {
            throw new CorruptOutboxException("file is too short (" + data.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        ByteBuffer buf = ByteBuffer.wrap(data);
        int storedCrc = buf.getInt(data.length - 4);
        for (byte b : MAGIC) {
            if (buf.get() != b) {
                throw new CorruptOutboxException("not an outbox file (bad magic)");
            }
        }
        int version = buf.get() & 0xff;
        if (version != VERSION) {
            throw new CorruptOutboxException("unsupported outbox format version " + version + " (this build reads " + VERSION + ")");
        }
        if ((int) crc.getValue() != storedCrc) {
            throw new CorruptOutboxException("checksum mismatch (file damaged)");
        }
        ByteBuffer body = buf.slice(buf.position(), data.length - 4 - buf.position());
        try {
            long count = Integer.toUnsignedLong(body.getInt());
            List<OutboxEntry> entries = new ArrayList<>((int) Math.min(count, 4096));
            long previous = Long.MIN_VALUE;
            for (long i = 0; i < count; i++) {
                long sequence = body.getLong();
                long label = body.getLong();
                String topic = utf8(body, body.getShort() & 0xffff);
                long payloadLength = Integer.toUnsignedLong(body.getInt());
                if (payloadLength > MAX_PAYLOAD) {
                    throw new CorruptOutboxException("entry " + i + " claims a payload of " + payloadLength + " bytes");
                }
                byte[] payload = new byte[(int) payloadLength];
                body.get(payload);
                if (sequence <= previous) {
                    throw new CorruptOutboxException("entry " + i + " is out of order (sequence " + sequence + ")");
                }
                previous = sequence;
                entries.add(new OutboxEntry(sequence, label, topic, payload));
            }
            if (body.hasRemaining()) {
                throw new CorruptOutboxException(body.remaining() + " unexpected trailing bytes");
            }
            return entries;
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new CorruptOutboxException("truncated or malformed entry", e);
        }
    }

    private static String utf8(ByteBuffer body, int length) {
        ByteBuffer slice = body.slice(body.position(), length);
        body.position(body.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptOutboxException("topic is not valid UTF-8", e);
        }
    }
}
