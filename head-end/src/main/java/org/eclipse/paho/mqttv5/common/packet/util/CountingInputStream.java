package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * Replaces Paho 1.2.5's class of the same name (this jar comes before Paho's on the class path; {@code
 * org.psametering.headend.mqtt.PahoDecoding} checks that at start). Paho decodes every inbound packet through this
 * stream twice ({@code MqttWireMessage.createWireMessage}, then {@code MqttPublish}'s constructor), and its own version
 * overrides only {@code read()}, so {@code readFully} copied a payload one byte per virtual call: for a 48 KiB blinded
 * key that was the head-end's receive thread's largest cost. Same public API and counting, plus a bulk read.
 */
public class CountingInputStream extends InputStream {
    private final InputStream in;
    private int counter;

    public CountingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b != -1) {
            counter++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counter += n;
        }
        return n;
    }

    /** Bytes read since construction or the last {@link #resetCounter()}. */
    public int getCounter() {
        return counter;
    }

    public void resetCounter() {
        counter = 0;
    }
}
