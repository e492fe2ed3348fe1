package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.junit.jupiter.api.Test;

/** The bulk-reading CountingInputStream is the one Paho uses, counts as Paho's did, and decodes a PUBLISH unchanged. */
class PahoDecodingTest {
    @Test
    void pahoLoadsTheBulkReadingStream() {
        assertTrue(PahoDecoding.bulkReads());
        assertEquals(MqttTransport.class.getProtectionDomain().getCodeSource().getLocation(),
                CountingInputStream.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void aPayloadIsReadInOneCallAndCounted() throws IOException {
        int[] calls = new int[1];
        InputStream source = new ByteArrayInputStream(new byte[49_208]) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                calls[0]++;
                return super.read(b, off, len);
            }

            @Override
            public synchronized int read() {
                calls[0]++;
                return super.read();
            }
        };
        CountingInputStream counting = new CountingInputStream(source);
        DataInputStream data = new DataInputStream(counting);
        data.readUnsignedShort();
        assertEquals(2, counting.getCounter());
        data.readFully(new byte[49_206]);
        assertEquals(49_208, counting.getCounter());
        assertTrue(calls[0] <= 3, "read calls: " + calls[0]);
        counting.resetCounter();
        assertEquals(0, counting.getCounter());
        assertEquals(-1, counting.read());
        assertEquals(0, counting.getCounter());
    }

    @Test
    void aLargePublishDecodesToTheSameTopicIdAndPayload() throws Exception {
        byte[] payload = new byte[49_208];
        new SplittableRandom(7).nextBytes(payload);
        MqttPublish sent = new MqttPublish("psa/v1/g/0/blinded/m-1", new MqttMessage(payload, 1, false, null), new MqttProperties());
        sent.setMessageId(4711);
        byte[] header = sent.getHeader();
        byte[] packet = new byte[header.length + payload.length];
        System.arraycopy(header, 0, packet, 0, header.length);
        System.arraycopy(payload, 0, packet, header.length, payload.length);
        MqttPublish received = (MqttPublish) MqttWireMessage.createWireMessage(packet);
        assertEquals("psa/v1/g/0/blinded/m-1", received.getTopicName());
        assertEquals(4711, received.getMessageId());
        assertEquals(1, received.getMessage().getQos());
        assertArrayEquals(payload, received.getMessage().getPayload());
    }
}
