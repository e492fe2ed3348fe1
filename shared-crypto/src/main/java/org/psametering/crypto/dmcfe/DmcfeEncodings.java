package org.psametering.crypto.dmcfe;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * Versioned binary encodings of what DMCFE sends over a network (documented in shared-crypto/docs/dmcfe.md).
 *
 * <pre>
 * ciphertext v1: 0x01 | client (int32 BE) | label (int64 BE) | c (G1, compressed)        = 13 + |G1| bytes
 * key share  v1: 0x01 | client (int32 BE) | d0 (G2) | d1 (G2)                          = 5 + 2|G2| bytes
 * </pre>
 * Parsing is strict: wrong version, wrong length or a point not in the prime-order subgroup is rejected with an
 * {@link IllegalArgumentException} naming what is wrong.
 */
public final class DmcfeEncodings {

    public static final byte VERSION = 1;

    private DmcfeEncodings() {
    }

    public static byte[] encode(DmcfeCiphertext ct) {
        byte[] point = ct.value().toBytes();
        return ByteBuffer.allocate(13 + point.length)
                .put(VERSION).putInt(ct.client()).putLong(ct.label()).put(point).array();
    }

    public static int ciphertextLength(PairingGroup curve) {
        return 13 + curve.g1EncodedLength();
    }

    public static DmcfeCiphertext decodeCiphertext(byte[] encoded, PairingGroup curve) {
        ByteBuffer in = open(encoded, ciphertextLength(curve), "DMCFE ciphertext");
        int client = in.getInt();
        long label = in.getLong();
        byte[] point = new byte[curve.g1EncodedLength()];
        in.get(point);
        return new DmcfeCiphertext(client, label, curve.decodeG1(point));
    }

    public static byte[] encode(DmcfeKeyShare share) {
        byte[] d0 = share.d0().toBytes();
        byte[] d1 = share.d1().toBytes();
        return ByteBuffer.allocate(5 + d0.length + d1.length)
                .put(VERSION).putInt(share.client()).put(d0).put(d1).array();
    }

    public static int keyShareLength(PairingGroup curve) {
        return 5 + 2 * curve.g2EncodedLength();
    }

    public static DmcfeKeyShare decodeKeyShare(byte[] encoded, PairingGroup curve) {
        ByteBuffer in = open(encoded, keyShareLength(curve), "DMCFE key share");
        int client = in.getInt();
        byte[] d0 = new byte[curve.g2EncodedLength()];
        byte[] d1 = new byte[curve.g2EncodedLength()];
        in.get(d0).get(d1);
        return new DmcfeKeyShare(client, curve.decodeG2(d0), curve.decodeG2(d1));
    }

    private static ByteBuffer open(byte[] encoded, int length, String what) {
        Objects.requireNonNull(encoded, what);
        if (encoded.length == 0 || encoded[0] != VERSION) {
            throw new IllegalArgumentException(what + ": unknown encoding version "
                    + (encoded.length == 0 ? "(empty)" : Byte.toString(encoded[0])) + ", expected " + VERSION);
        }
        if (encoded.length != length) {
            throw new IllegalArgumentException(what + " v1 must be " + length + " bytes, got " + encoded.length);
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        in.get();
        return in;
    }
}
