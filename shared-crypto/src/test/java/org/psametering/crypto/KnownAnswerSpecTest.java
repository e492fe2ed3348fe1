package org.psametering.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Re-derives entries of the committed known-answer files straight from the README's byte-level description, with the
 * JDK's SHA3-256, AES, HMAC and XDH, BigInteger arithmetic and none of this module's code: the files and the
 * specification must agree, not just the code with itself.
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

    /**
     * Meter 0 of the KAT group (the lowest id, so it adds both of its masks): its PSA key from the documented random
     * stream, its X25519 secrets with the committed public keys of meters 1 and 2 (the JDK's XDH), HKDF-SHA256 from
     * HMAC, the masks from AES blocks, then the blinded-key encoding and the reading-0 ciphertext, all in BigInteger.
     */
    @ParameterizedTest
    @MethodSource("parameterSets")
    void meterZerosBlindedKeyAndCiphertextFollowTheSpecification(PsaParameters params) throws Exception {
        Map<String, String> kat = read("/kat/" + params.name() + ".kat");
        HexFormat hex = HexFormat.of();
        int n = params.n();
        BigInteger q = BigInteger.ONE.shiftLeft(128);

        // randomness: AES-256-CTR keystream (zero counter) under SHA-256("psa-kat/<name>"); meter 0 draws first
        Cipher stream = Cipher.getInstance("AES/CTR/NoPadding");
        stream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                .digest(("psa-kat/" + params.name()).getBytes(StandardCharsets.UTF_8)), "AES"),
                new IvParameterSpec(new byte[16]));
        byte[] scalar = stream.update(new byte[32]);
        byte[] keyBytes = stream.update(new byte[16 * n]);
        BigInteger[] blinded = elements(keyBytes, n);
        BigInteger[] key = blinded.clone();

        KeyFactory xdh = KeyFactory.getInstance("X25519");
        PrivateKey mine = xdh.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        for (String peer : new String[] {"meter-00001", "meter-00002"}) {
            byte[] u = hex.parseHex(kat.get("meter." + peer + ".public-key"));
            byte[] bigEndian = new byte[32];
            for (int i = 0; i < 32; i++) {
                bigEndian[i] = u[31 - i];
            }
            PublicKey theirs = xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    new BigInteger(1, bigEndian)));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(mine);
            agreement.doPhase(theirs, true);
            byte[] ikm = agreement.generateSecret();

            ByteArrayOutputStream info = new ByteArrayOutputStream();
            str(info, "psa-metering/lwr-psa/mask/v1");
            info.write(params.id() >>> 8);
            info.write(params.id());
            str(info, params.name());
            str(info, "kat-group");
            info.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
            str(info, "meter-00000");
            str(info, peer);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = hmac.doFinal(ikm);
            hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
            hmac.update(info.toByteArray());
            byte[] seed = hmac.doFinal(new byte[] {1});

            BigInteger[] mask = aesBlocks(seed, n);
            for (int j = 0; j < n; j++) {
                blinded[j] = blinded[j].add(mask[j]).mod(q);
            }
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        encoded.writeBytes(new byte[] {0x03, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
        encoded.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
        encoded.write(9);
        encoded.writeBytes("kat-group".getBytes(StandardCharsets.US_ASCII));
        encoded.write(11);
        encoded.writeBytes("meter-00000".getBytes(StandardCharsets.US_ASCII));
        for (BigInteger b : blinded) {
            encoded.writeBytes(u128(b));
        }
        assertEquals(kat.get("meter.meter-00000.blinded-key.sha3-256"),
                hex.formatHex(MessageDigest.getInstance("SHA3-256").digest(encoded.toByteArray())));

        // reading 0: c = floor((<H(t), k> mod q) / 2^(128 - logP))
        BigInteger[] h = aesBlocks(hex.parseHex(kat.get("h.seed")), n);
        BigInteger dot = BigInteger.ZERO;
        for (int j = 0; j < n; j++) {
            dot = dot.add(h[j].multiply(key[j]));
        }
        BigInteger value = dot.mod(q).shiftRight(128 - params.logP());
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        ct.writeBytes(new byte[] {0x01, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
        ct.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0x03, (byte) 0xE8});
        ct.writeBytes(u128(value));
        assertEquals("0", kat.get("meter.meter-00000.reading"));
        assertEquals(kat.get("meter.meter-00000.ciphertext"), hex.formatHex(ct.toByteArray()));
    }

    static BigInteger[] aesBlocks(byte[] key, int n) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        BigInteger[] out = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            out[j] = new BigInteger(1, aes.doFinal(u128(BigInteger.valueOf(j))));
        }
        return out;
    }

    static BigInteger[] elements(byte[] bytes, int n) {
        BigInteger[] out = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            out[j] = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 16 * j, 16 * j + 16));
        }
        return out;
    }

    static byte[] u128(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[16];
        int copy = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copy, out, 16 - copy, copy);
        return out;
    }

    static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    static Map<String, String> read(String resource) throws IOException {
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
