package org.psametering.cli.bench.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.SecretKeyCodec;

/**
 * BENCHMARK ONLY: a "blinded key" that is the meter's PSA key without pairwise masks. The masks of a real key setup sum to
 * zero over the group, so the head-end derives the very same aggregation key K from these; what is skipped is each meter's
 * M-1 X25519 agreements and mask expansions, which for 10 000 meters would take hours in one process. The head-end's side
 * of key setup (collecting, verifying and combining M blinded keys) runs for real.
 *
 * <p>Built from the documented version-1 layouts (shared-crypto README): the PSA secret-key export is
 * {@code 0x81 0x01 u16 paramId, n x 16 bytes}; a blinded key is {@code 0x03 0x01 u16 paramId, u64 epoch,
 * u8+group, u8+meter, n x 16 bytes}. The result is run through the strict decoder, so a layout change fails loudly here.
 */
final class DealerBlindedKeys {
    private static final int SECRET_KEY_HEADER = 4;
    private static final byte BLINDED_KEY_TYPE = 0x03;
    private static final byte VERSION_1 = 0x01;

    private DealerBlindedKeys() {
    }

    static byte[] unmasked(PsaKey key, String meterId, GroupContext group) {
        byte[] secret = SecretKeyCodec.export(key);
        try {
            byte[] groupId = group.groupId().getBytes(StandardCharsets.US_ASCII);
            byte[] meter = meterId.getBytes(StandardCharsets.US_ASCII);
            int vectorBytes = secret.length - SECRET_KEY_HEADER;
            ByteBuffer out = ByteBuffer.allocate(2 + 2 + 8 + 1 + groupId.length + 1 + meter.length + vectorBytes);
            out.put(BLINDED_KEY_TYPE).put(VERSION_1).putShort((short) group.params().id()).putLong(group.epoch());
            out.put((byte) groupId.length).put(groupId).put((byte) meter.length).put(meter);
            out.put(secret, SECRET_KEY_HEADER, vectorBytes);
            byte[] encoded = out.array();
            Encodings.decodeBlindedKey(encoded, group); // strict check of the layout
            return encoded;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
