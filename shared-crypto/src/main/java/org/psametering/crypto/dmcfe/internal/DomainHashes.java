package org.psametering.crypto.dmcfe.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.psametering.crypto.dmcfe.pairing.G1Element;
import org.psametering.crypto.dmcfe.pairing.G2Element;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * The scheme's two random oracles onto the curve, each with its own domain tag (see docs/dmcfe.md):
 * H1(group, label) in G1^2 masks a ciphertext; H2(group, y) in G2^2 binds key shares to the function y.
 */
public final class DomainHashes {

    private static final String PREFIX = "psa-metering/dmcfe/v1/";
    private static final byte[][] LABEL_DOMAINS = {tag("H1/0"), tag("H1/1")};
    private static final byte[][] FUNCTION_DOMAINS = {tag("H2/0"), tag("H2/1")};
    /** The only function this project uses: y = (1, ..., 1). */
    private static final byte[] SUM_FUNCTION = "sum".getBytes(StandardCharsets.US_ASCII);

    private DomainHashes() {
    }

    /** u_label = H1(groupId, label): two independent points of G1. */
    public static G1Element[] labelPoints(PairingGroup curve, String groupId, long label) {
        byte[] id = groupId.getBytes(StandardCharsets.US_ASCII);
        byte[] message = ByteBuffer.allocate(1 + id.length + Long.BYTES)
                .put((byte) id.length).put(id).putLong(label).array();
        return new G1Element[] {
            curve.hashToG1(LABEL_DOMAINS[0], message), curve.hashToG1(LABEL_DOMAINS[1], message)};
    }

    /** v_y = H2(groupId, N, y) for y = (1, ..., 1): two independent points of G2. */
    public static G2Element[] sumFunctionPoints(PairingGroup curve, String groupId, int size) {
        byte[] id = groupId.getBytes(StandardCharsets.US_ASCII);
        byte[] message = ByteBuffer.allocate(1 + id.length + Integer.BYTES + SUM_FUNCTION.length)
                .put((byte) id.length).put(id).putInt(size).put(SUM_FUNCTION).array();
        return new G2Element[] {
            curve.hashToG2(FUNCTION_DOMAINS[0], message), curve.hashToG2(FUNCTION_DOMAINS[1], message)};
    }

    private static byte[] tag(String name) {
        return (PREFIX + name).getBytes(StandardCharsets.US_ASCII);
    }
}
