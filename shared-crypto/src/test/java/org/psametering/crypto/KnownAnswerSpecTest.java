package org.psametering.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Re-derives the H(t) entries of the committed known-answer files straight from the README's byte-level description,
 * with the JDK's SHA3-256 and AES block function and none of this module's code: the files and the specification
 * must agree, not just the code with itself.
 */
class KnownAnswerSpecTest {

    static java.util.List<PsaParameters> parameterSets() {
        return PsaParameters.all();
    }

    @ParameterizedTest
    @MethodSource("parameterSets")
    void hashedSeedAndAesCtrPrefixFollowTheSpecification(PsaParameters params) throws Exception {
        Map<String, String> kat = read("/kat/" + params.name() + ".kat");
        HexFormat hex = HexFormat.of();

        // seed = SHA3-256(str(scheme) || u16(id) || str(name) || str(group) || u64(epoch) || i64(label))
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        str(in, "psa-metering/lwr-psa/H/v1");
        in.write(params.id() >>> 8);
        in.write(params.id());
        str(in, params.name());
        str(in, "kat-group");
        in.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
        in.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0x03, (byte) 0xE8});
        byte[] seed = MessageDigest.getInstance("SHA3-256").digest(in.toByteArray());
        assertEquals(kat.get("h.seed"), hex.formatHex(seed));

        // H(t)_j = AES-256_seed(u128(j)) for j = 0..3 (the 64-byte prefix)
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"));
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        for (int j = 0; j < 4; j++) {
            byte[] counter = new byte[16];
            counter[15] = (byte) j;
            prefix.writeBytes(aes.doFinal(counter));
        }
        assertEquals(kat.get("h.aes-256-ctr.prefix"), hex.formatHex(prefix.toByteArray()));
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static Map<String, String> read(String resource) throws IOException {
        try (InputStream in = KnownAnswerSpecTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing committed known-answer file " + resource);
            Map<String, String> entries = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                int eq = line.indexOf(" = ");
                if (!line.startsWith("#") && eq > 0) {
                    entries.put(line.substring(0, eq), line.substring(eq + 3).trim());
                }
            }
            return entries;
        }
    }
}
