package org.psametering.hardware.sml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.openmuc.jsml.structures.ASNObject;
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
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.MutableClock;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.SmlSensorConfig;

class SmlSensorTest {

    private static final SmlSensorConfig CONFIG = new SmlSensorConfig("/dev/ttyUSB0", 9600, Duration.ofSeconds(2));
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T12:00:00Z"));

    private static SmlListEntry entry(int c, int d, int unit, int scaler, ASNObject value) {
        var obis = new OctetString(new byte[] {1, 0, (byte) c, (byte) d, 0, (byte) 255});
        return new SmlListEntry(obis, null, null, new SmlUnit(new Unsigned8(unit)), new Integer8((byte) scaler),
                new SmlValue(value), null);
    }

    /** A framed SML telegram (escape sequences, padding, CRC) with a GetList response, as a meter pushes it. */
    private static byte[] telegram(int txId, SmlListEntry... entries) throws IOException {
        var response = new SmlGetListRes(null, new OctetString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), null, null,
                new SmlList(entries), null, null);
        var message = new SmlMessage(new OctetString(new byte[] {(byte) txId}), new Unsigned8(0), new Unsigned8(0),
                new SmlMessageBody(EMessageBody.GET_LIST_RESPONSE.id(), response));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        message.encode(new DataOutputStream(body));
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        new Transport().send(new DataOutputStream(framed), body.toByteArray());
        return framed.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void registerDifferencesBecomeEnergy() throws IOException {
        // register in 0.1 Wh (scaler -1), as many eHZ send it: 12345678.9 Wh, then 12345.9 Wh later
        byte[] stream = concat(
                new byte[] {0x42, 0x13}, // line noise before the first frame
                telegram(1, entry(1, 8, 30, -1, new Unsigned64(123_456_789L)), entry(16, 7, 27, 0, new Integer64(-350))),
                telegram(2, entry(1, 8, 30, -1, new Unsigned64(123_456_789L + 123_459L)), entry(16, 7, 27, 0, new Integer64(1830))));
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(stream), () -> { }, CONFIG, clock);

        SmlReadout first = sensor.readTelegram();
        assertEquals(12_345_678_900L, first.importMilliWattHours().getAsLong());
        assertEquals(0, sensor.read().cumulativeMilliWattHours(), "energy counts from the first telegram");
        assertEquals(0, sensor.read().powerWatts().getAsDouble(), "export (negative power) is no draw");

        sensor.readTelegram();
        EnergyReading r = sensor.read();
        assertEquals(12_345_900, r.cumulativeMilliWattHours());
        assertEquals(1830, r.powerWatts().getAsDouble());
        sensor.close();
    }

    @Test
    void powerIsOptionalAndOtherObisCodesAreIgnored() throws IOException {
        byte[] stream = concat(
                telegram(1, entry(2, 8, 30, 0, new Unsigned64(999)), entry(1, 8, 30, 0, new Unsigned64(1000))),
                telegram(2, entry(1, 8, 30, 0, new Unsigned64(1500))));
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(stream), () -> { }, CONFIG, clock);
        sensor.readTelegram();
        sensor.readTelegram();
        assertEquals(500_000, sensor.read().cumulativeMilliWattHours(), "export register 2.8.0 is not consumption");
        assertTrue(sensor.read().powerWatts().isEmpty());
        sensor.close();
    }

    @Test
    void corruptedTelegramIsAnError() throws IOException {
        byte[] good = telegram(1, entry(1, 8, 30, 0, new Unsigned64(1000)));
        good[20] ^= 0x40; // flip a bit inside the message: the CRC no longer matches
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(good), () -> { }, CONFIG, clock);
        var e = assertThrows(SensorException.class, sensor::readTelegram);
        assertTrue(e.getMessage().startsWith("sensor.serialPort /dev/ttyUSB0: no valid SML telegram"), e.getMessage());
        assertEquals(0, sensor.read().cumulativeMilliWattHours());
        sensor.close();
    }

    /** Found by SmlTelegramFuzzTest: jSML allocated an octet string of the declared size before reading it. */
    @Test
    void elementLongerThanTheTelegramIsRefusedBeforeDecoding() throws IOException {
        // a message (list of 6) whose first element, an octet string, declares 0x0FFFFFFF bytes (256 MiB)
        byte[] file = {0x76, (byte) 0x8F, (byte) 0x8F, (byte) 0x8F, (byte) 0x8F, (byte) 0x8F, (byte) 0x8F, 0x0F, 1, 2, 3};
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        new Transport().send(new DataOutputStream(framed), file);
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(framed.toByteArray()), () -> { }, CONFIG, clock);
        var e = assertThrows(SensorException.class, sensor::readTelegram);
        assertTrue(e.getMessage().contains("SML element at offset 1 declares length"), e.getMessage());
        assertTrue(e.getMessage().endsWith("which does not fit in the 11-byte file"), e.getMessage());
        sensor.close();
    }

    @Test
    void closeStopsReaderAndClosesPort() throws IOException {
        AtomicBoolean portClosed = new AtomicBoolean();
        byte[] stream = telegram(1, entry(1, 8, 30, 0, new Unsigned64(1000)));
        SmlSensor sensor = new SmlSensor(new ByteArrayInputStream(stream), () -> portClosed.set(true), CONFIG, clock).start();
        assertTrue(sensor.isReading());
        sensor.close();
        assertFalse(sensor.isReading());
        assertTrue(portClosed.get());
        assertThrows(IllegalStateException.class, sensor::read);
    }
}
