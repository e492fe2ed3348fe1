package org.psametering.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re-derives gk and every row of the committed sparse-graph-v1.kat from the README's section 13 text alone, with
 * the JDK's HMAC-SHA256 (HKDF written out) and AES, none of this module's code.
 */
class SparseGraphSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    void graphKeyAndRowsFollowTheSpecification(String graph) throws Exception {
        Map<String, String> kat = read("/kat/sparse-graph-v1.kat");
        HexFormat hex = HexFormat.of();
        byte[] seed = hex.parseHex(kat.get("seed"));
        String group = kat.get("group");
        long epoch = Long.parseLong(kat.get("epoch"));
        int n = Integer.parseInt(kat.get(graph + ".n"));
        long threshold = Long.parseUnsignedLong(kat.get(graph + ".threshold"));

        // info = str("psa-metering/mask-graph/v1") || str(group) || u64(epoch) || u32(N)
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        str(info, "psa-metering/mask-graph/v1");
        str(info, group);
        for (int s = 56; s >= 0; s -= 8) {
            info.write((int) (epoch >>> s));
        }
        for (int s = 24; s >= 0; s -= 8) {
            info.write(n >>> s);
        }
        // HKDF-SHA256, salt none (32 zero bytes), L = 32: PRK = HMAC(salt, seed); gk = HMAC(PRK, info || 0x01)
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(seed);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info.toByteArray());
        byte[] gk = mac.doFinal(new byte[] {1});
        assertEquals(kat.get(graph + ".gk"), hex.formatHex(gk));

        // edge {a, b}, a < b, iff the first 8 bytes of AES-256_gk(u64(a) || u64(b)) as unsigned are < threshold
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(gk, "AES"));
        for (int i = 0; i < n; i++) {
            List<String> row = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                long a = Math.min(i, j);
                long b = Math.max(i, j);
                byte[] block = new byte[16];
                for (int k = 0; k < 8; k++) {
                    block[k] = (byte) (a >>> (56 - 8 * k));
                    block[8 + k] = (byte) (b >>> (56 - 8 * k));
                }
                byte[] out = aes.doFinal(block);
                long v = 0;
                for (int k = 0; k < 8; k++) {
                    v = (v << 8) | (out[k] & 0xFF);
                }
                if (Long.compareUnsigned(v, threshold) < 0) {
                    row.add(Integer.toString(j));
                }
            }
            assertEquals(kat.get(graph + ".row." + i), String.join(",", row), "row " + i);
        }
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static Map<String, String> read(String resource) throws Exception {
        try (InputStream in = SparseGraphSpecTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing committed known-answer file " + resource);
            Map<String, String> entries = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int eq = line.indexOf(" = ");
                    entries.put(line.substring(0, eq), line.substring(eq + 3).trim());
                }
            }
            return entries;
        }
    }
}
