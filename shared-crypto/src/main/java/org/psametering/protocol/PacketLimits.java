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
     * The largest legitimate message to the head-end: a blinded-key frame of at most 1 MiB + 22 bytes ({@link SealedFrame});
     * ciphertext frames are about 50 bytes and public keys smaller still.
     */
    static final int BLINDED_KEY_PACKET_BYTES = SealedFrame.HEADER_BYTES + SealedFrame.MAX_BODY + MessageKey.TAG_BYTES + MQTT_OVERHEAD_BYTES;

    /**
     * What meters and tools receive: announcements and key sets grow with the member count (a key set costs about
     * 0.8 KB per member, its certificate included), so they get twice a blinded-key frame's room: about 2 500 members.
     */
    public static final int CLIENT_MAX_PACKET_BYTES = 2 * BLINDED_KEY_PACKET_BYTES;

    /**
     * What the head-end advertises. It must be at least what the head-end publishes (key sets up to what a client may
     * receive), not only what it receives: Paho 1.2.5 checks every outgoing packet against the client's own advertised
     * Maximum Packet Size instead of the broker's ({@code ClientState.getOutgoingMaximumPacketSize} returns the incoming
     * limit), and drops the connection with "Outgoing packet too large" otherwise, on every reconnect.
     */
    public static final int HEAD_END_MAX_PACKET_BYTES = CLIENT_MAX_PACKET_BYTES;

    private PacketLimits() {
    }
}
