package org.psametering.protocol;

/**
 * MQTT 5 Maximum Packet Size that every client of the project advertises in its CONNECT, so the broker drops (rather
 * than forwards) anything larger and an oversized publication never reaches a client's heap.
 */
public final class PacketLimits {
    /**
     * Room for an MQTT PUBLISH's own bytes around the payload: fixed header (5), topic (2 + at most ~170 bytes, ids
     * being at most 64 characters), packet id (2) and properties.
     */
    static final int MQTT_OVERHEAD_BYTES = 1024;

    /**
     * What the head-end receives: the largest legitimate message is a blinded-key frame of at most 1 MiB + 22 bytes
     * ({@link SealedFrame}); ciphertext frames are about 50 bytes and public keys smaller still.
     */
    public static final int HEAD_END_MAX_PACKET_BYTES = SealedFrame.HEADER_BYTES + SealedFrame.MAX_BODY + MessageKey.TAG_BYTES + MQTT_OVERHEAD_BYTES;

    /**
     * What meters and tools receive: announcements and key sets grow with the member count (a key set costs about
     * 80-150 bytes per member), so they get twice the head-end's room: key sets of well over 10 000 members fit.
     */
    public static final int CLIENT_MAX_PACKET_BYTES = 2 * HEAD_END_MAX_PACKET_BYTES;

    private PacketLimits() {
    }
}
