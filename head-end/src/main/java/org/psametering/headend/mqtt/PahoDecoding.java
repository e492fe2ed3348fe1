package org.psametering.headend.mqtt;

import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;

/**
 * Whether Paho decodes inbound packets with the project's bulk-reading {@link CountingInputStream} (see that class):
 * it is only in effect when the head-end's jar comes before Paho's on the class path. Without it everything still
 * works, only large messages (blinded keys) are received several times slower, so the transport logs a WARN.
 */
final class PahoDecoding {
    private PahoDecoding() {
    }

    static boolean bulkReads() {
        try {
            CountingInputStream.class.getDeclaredMethod("read", byte[].class, int.class, int.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
