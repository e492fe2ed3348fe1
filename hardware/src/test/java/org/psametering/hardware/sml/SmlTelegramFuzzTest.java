package org.psametering.hardware.sml;

import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openmuc.jsml.structures.EMessageBody;
import org.openmuc.jsml.structures.Integer64;
import org.openmuc.jsml.structures.Integer8;
import org.openmuc.jsml.structures.OctetString;
import org.openmuc.jsml.structures.SmlList;
import org.openmuc.jsml.structures.SmlListEntry;
import org.openmuc.jsml.structures.SmlMessage;
import org.openmuc.jsml.structures.SmlMessageBody;
import org.openmuc.jsml.structures.SmlUnit;
import org.openmuc.jsml.structures.SmlValue;
import org.openmuc.jsml.structures.Unsigned64;
import org.openmuc.jsml.structures.Unsigned8;
import org.openmuc.jsml.structures.responses.SmlGetListRes;
import org.openmuc.jsml.transport.Transport;
import org.psametering.fuzz.SeedCorpus;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.SmlSensorConfig;

/**
 * Fuzz targets for what the SML read head delivers (jSML's transport and file decoding plus {@link SmlDecoder}).
 * Property: a telegram either yields a readout or {@link SmlSensor#readTelegram()} throws {@link SensorException}
 * (which the reader thread counts and logs); any other exception, an OutOfMemoryError or a hang is a finding.
 */
class SmlTelegramFuzzTest {

    private static final SmlSensorConfig CONFIG = new SmlSensorConfig("/dev/fuzz", 9600, Duration.ofSeconds(2));

    /** A complete telegram that ends every serial input: otherwise jSML waits out the telegram timeout on each one. */
    private static final byte[] TRAILING_TELEGRAM = trailingTelegram();

    /** Raw bytes from the serial port (line noise, partial and escaped frames), followed by a valid telegram. */
    @FuzzTest
    void serialBytes(byte[] input) {
        read(concat(input, TRAILING_TELEGRAM));
    }

    private static byte[] trailingTelegram() {
        try {
            return frame(getListResponse(entry(1, 8, 30, 0, new Unsigned64(1))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The input is the SML file inside a transport frame, which the target adds (escapes, padding, CRC). */
    @FuzzTest
    void framedFile(byte[] input) throws IOException {
        read(frame(input));
    }

    private static void read(byte[] stream) {
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(stream), () -> { }, CONFIG, Clock.systemUTC());
        try {
            sensor.readTelegram();
        } catch (SensorException expected) {
            // counted and logged by the reader thread
        }
    }

    private static byte[] frame(byte[] file) throws IOException {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        new Transport().send(new DataOutputStream(framed), file);
        return framed.toByteArray();
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=SmlTelegramFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        byte[] file = getListResponse(
                entry(1, 8, 30, -1, new Unsigned64(123_456_789L)), entry(16, 7, 27, 0, new Integer64(-350)));
        byte[] noUnit = getListResponse(new SmlListEntry(new OctetString(new byte[]{1, 0, 1, 8, 0, (byte) 255}), null, null,
                null, null, new SmlValue(new Unsigned64(-1L)), null));
        SeedCorpus corpus = new SeedCorpus(getClass());
        corpus.write("framedFile", seeds("get-list", file, "no-unit-no-scaler", noUnit, "truncated",
                Arrays.copyOf(file, file.length / 2), "empty", new byte[0]));
        corpus.write("serialBytes", seeds("telegram", frame(file), "noise-then-telegram",
                concat(new byte[]{0x42, 0x1b, 0x1b}, frame(file)), "bad-crc", SeedCorpus.with(frame(file), 20, 0x55)));
    }

    private static SmlListEntry entry(int c, int d, int unit, int scaler, org.openmuc.jsml.structures.ASNObject value) {
        OctetString obis = new OctetString(new byte[]{1, 0, (byte) c, (byte) d, 0, (byte) 255});
        return new SmlListEntry(obis, null, null, new SmlUnit(new Unsigned8(unit)), new Integer8((byte) scaler),
                new SmlValue(value), null);
    }

    private static byte[] getListResponse(SmlListEntry... entries) throws IOException {
        SmlGetListRes response = new SmlGetListRes(null, new OctetString(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), null,
                null, new SmlList(entries), null, null);
        SmlMessage message = new SmlMessage(new OctetString(new byte[]{1}), new Unsigned8(0), new Unsigned8(0),
                new SmlMessageBody(EMessageBody.GET_LIST_RESPONSE.id(), response));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        message.encode(new DataOutputStream(body));
        return body.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
