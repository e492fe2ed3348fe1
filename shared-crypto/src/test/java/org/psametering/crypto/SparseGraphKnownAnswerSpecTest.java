package org.psametering.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.psametering.crypto.KnownAnswerSpecTest.elements;
import static org.psametering.crypto.KnownAnswerSpecTest.read;
import static org.psametering.crypto.KnownAnswerSpecTest.str;
import static org.psametering.crypto.KnownAnswerSpecTest.u128;
import static org.psametering.crypto.RecoveryKnownAnswerSpecTest.mask;
import static org.psametering.crypto.RecoveryKnownAnswerSpecTest.u64;
import static org.psametering.crypto.RecoveryKnownAnswerSpecTest.x25519;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Re-derives sparse-graph-v1.kat from README section 13 alone (JDK HMAC-SHA256 for HKDF, AES, SHA3-256, XDH and
 * BigInteger; none of this module's code): the graph key, the small graph's edge list, three rows of the 10 000-member
 * graph, every row of the 6-member graph and meter 0's blinded key in it.
 */
class SparseGraphKnownAnswerSpecTest {

    private final HexFormat hex = HexFormat.of();

    @Test
    void graphsAndBlindedKeyFollowTheSpecification() throws Exception {
        Map<String, String> kat = read("/kat/sparse-graph-v1.kat");
        String group = kat.get("group");
        long epoch = Long.parseLong(kat.get("epoch"));
        byte[] seed = MessageDigest.getInstance("SHA-256").digest("psa-kat/mask-graph/v1".getBytes(StandardCharsets.UTF_8));
        assertEquals(kat.get("seed"), hex.formatHex(seed));

        int small = Integer.parseInt(kat.get("small.size"));
        long smallThreshold = Long.parseUnsignedLong(kat.get("small.threshold"));
        List<String> edges = new ArrayList<>();
        for (int a = 0; a < small; a++) {
            for (int b = a + 1; b < small; b++) {
                if (edge(graphKey(seed, group, epoch, small), a, b, smallThreshold)) {
                    edges.add(a + "-" + b);
                }
            }
        }
        assertEquals(kat.get("small.edges"), String.join(" ", edges));

        int large = Integer.parseInt(kat.get("large.size"));
        long largeThreshold = Long.parseUnsignedLong(kat.get("large.threshold"));
        byte[] largeKey = graphKey(seed, group, epoch, large);
        for (int a : new int[] {0, 4711, large - 1}) {
            assertEquals(kat.get("large.row." + a), row(largeKey, a, large, largeThreshold), "row " + a);
        }

        PsaParameters params = PsaParameters.all().stream()
                .filter(p -> p.name().equals(kat.get("blinded.parameter-set"))).findFirst().orElseThrow();
        int size = Integer.parseInt(kat.get("blinded.size"));
        long threshold = Long.parseUnsignedLong(kat.get("blinded.threshold"));
        byte[] key = graphKey(seed, group, epoch, size);
        for (int i = 0; i < size; i++) {
            assertEquals(kat.get("blinded.meter-0000" + i + ".row"), row(key, i, size, threshold), "row of meter " + i);
        }
        // meter 0 draws its X25519 scalar (32 bytes), then its PSA key (16n bytes), from the documented stream
        Cipher stream = Cipher.getInstance("AES/CTR/NoPadding");
        stream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(
                ("psa-kat/mask-graph/v1/" + params.name()).getBytes(StandardCharsets.UTF_8)), "AES"),
                new IvParameterSpec(new byte[16]));
        byte[] scalar = stream.update(new byte[32]);
        BigInteger[] k0 = elements(stream.update(new byte[16 * params.n()]), params.n());
        BigInteger q = BigInteger.ONE.shiftLeft(128);
        // meter 0 has the lowest index, so it adds the mask of every neighbour
        for (String j : kat.get("blinded.meter-00000.row").split(" ")) {
            String peer = "meter-0000" + j;
            BigInteger[] m = mask(params, x25519(scalar, hex.parseHex(kat.get("blinded." + peer + ".public-key"))),
                    "meter-00000", peer);
            for (int e = 0; e < k0.length; e++) {
                k0[e] = k0[e].add(m[e]).mod(q);
            }
        }
        ByteArrayOutputStream blinded = new ByteArrayOutputStream();
        blinded.writeBytes(new byte[] {0x03, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
        blinded.writeBytes(u64(epoch));
        blinded.write(group.length());
        blinded.writeBytes(group.getBytes(StandardCharsets.US_ASCII));
        blinded.write(11);
        blinded.writeBytes("meter-00000".getBytes(StandardCharsets.US_ASCII));
        for (BigInteger b : k0) {
            blinded.writeBytes(u128(b));
        }
        assertEquals(kat.get("blinded.meter-00000.blinded-key.sha3-256"),
                hex.formatHex(MessageDigest.getInstance("SHA3-256").digest(blinded.toByteArray())));
    }

    /** gk = HKDF-SHA256(salt none, IKM = seed, info = str(domain) || str(g) || u64(e) || u32(N), L = 32). */
    private static byte[] graphKey(byte[] seed, String group, long epoch, int size) throws Exception {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        str(info, "psa-metering/mask-graph/v1");
        str(info, group);
        info.writeBytes(u64(epoch));
        info.writeBytes(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = hmac.doFinal(seed);
        hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
        hmac.update(info.toByteArray());
        return hmac.doFinal(new byte[] {1});
    }

    private static boolean edge(byte[] gk, int a, int b, long threshold) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(gk, "AES"));
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(u64(Math.min(a, b)));
        block.writeBytes(u64(Math.max(a, b)));
        byte[] out = aes.doFinal(block.toByteArray());
        BigInteger first = new BigInteger(1, java.util.Arrays.copyOf(out, 8));
        return first.compareTo(new BigInteger(Long.toUnsignedString(threshold))) < 0;
    }

    private static String row(byte[] gk, int a, int size, long threshold) throws Exception {
        List<String> row = new ArrayList<>();
        for (int b = 0; b < size; b++) {
            if (b != a && edge(gk, a, b, threshold)) {
                row.add(Integer.toString(b));
            }
        }
        return String.join(" ", row);
    }
}
