package org.psametering.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.psametering.crypto.KnownAnswerSpecTest.aesBlocks;
import static org.psametering.crypto.KnownAnswerSpecTest.elements;
import static org.psametering.crypto.KnownAnswerSpecTest.read;
import static org.psametering.crypto.KnownAnswerSpecTest.str;
import static org.psametering.crypto.KnownAnswerSpecTest.u128;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import java.util.List;
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
 * Re-derives the recovery entries of the recoverable sets' known-answer files from README sections 5, 6 and 11
 * alone (JDK SHA3-256, SHA-256, AES, HMAC, XDH and BigInteger; none of this module's code): the three meters' keys
 * from the documented random stream, the masks m02 and m12, the scheme-v2 ciphertexts of meters 0 and 1, the request
 * digest, both answers, the missing meter's blinded key, and the recovered aggregate.
 */
class RecoveryKnownAnswerSpecTest {

    private static final String GROUP = "kat-group";
    private static final long EPOCH = 7;
    private static final long LABEL = 1000;
    private static final int N = 3;

    static List<PsaParameters> recoverableSets() {
        return PsaParameters.all().stream().filter(p -> p.scheme().supportsRecovery()).toList();
    }

    @ParameterizedTest
    @MethodSource("recoverableSets")
    void recoveryOfMeterTwosStepFollowsTheSpecification(PsaParameters params) throws Exception {
        Map<String, String> kat = read("/kat/" + params.name() + ".kat");
        HexFormat hex = HexFormat.of();
        int n = params.n();
        BigInteger q = BigInteger.ONE.shiftLeft(128);
        BigInteger p = BigInteger.ONE.shiftLeft(params.logP());
        int shift = 128 - params.logP();

        // every meter draws its X25519 scalar (32 bytes), then its PSA key (16n bytes), meter 0 first
        Cipher stream = Cipher.getInstance("AES/CTR/NoPadding");
        stream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                .digest(("psa-kat/" + params.name()).getBytes(StandardCharsets.UTF_8)), "AES"),
                new IvParameterSpec(new byte[16]));
        byte[][] scalars = new byte[N][];
        BigInteger[][] keys = new BigInteger[N][];
        for (int i = 0; i < N; i++) {
            scalars[i] = stream.update(new byte[32]);
            keys[i] = elements(stream.update(new byte[16 * n]), n);
            // the public key is X25519(scalar, 9): the committed one must follow from the documented stream
            assertEquals(kat.get("meter.meter-0000" + i + ".public-key"), hex.formatHex(x25519(scalars[i],
                    littleEndian(BigInteger.valueOf(9)))), "public key of meter " + i);
        }
        byte[] pk2 = hex.parseHex(kat.get("meter.meter-00002.public-key"));
        BigInteger[] m02 = mask(params, x25519(scalars[0], pk2), "meter-00000", "meter-00002");
        BigInteger[] m12 = mask(params, x25519(scalars[1], pk2), "meter-00001", "meter-00002");

        // the missing meter has the highest id, so its share subtracted both masks: b2 = k2 - m02 - m12
        BigInteger[] b2 = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            b2[j] = keys[2][j].subtract(m02[j]).subtract(m12[j]).mod(q);
        }
        ByteArrayOutputStream blinded = new ByteArrayOutputStream();
        blinded.writeBytes(new byte[] {0x03, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
        blinded.writeBytes(u64(EPOCH));
        blinded.write(GROUP.length());
        blinded.writeBytes(GROUP.getBytes(StandardCharsets.US_ASCII));
        blinded.write(11);
        blinded.writeBytes("meter-00002".getBytes(StandardCharsets.US_ASCII));
        for (BigInteger b : b2) {
            blinded.writeBytes(u128(b));
        }
        assertEquals(kat.get("meter.meter-00002.blinded-key.sha3-256"),
                hex.formatHex(MessageDigest.getInstance("SHA3-256").digest(blinded.toByteArray())));

        // request digest
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        str(in, "psa-metering/lwr-psa/recovery-request/v1");
        in.write(params.id() >>> 8);
        in.write(params.id());
        str(in, params.name());
        str(in, GROUP);
        in.writeBytes(u64(EPOCH));
        in.writeBytes(u64(LABEL));
        in.writeBytes(u64(N));
        in.writeBytes(u64(1));
        str(in, "meter-00002");
        byte[] digest = MessageDigest.getInstance("SHA3-256").digest(in.toByteArray());
        assertEquals("meter-00002", kat.get("recovery.missing"));
        assertEquals(kat.get("recovery.request.digest"), hex.formatHex(digest));

        BigInteger[] h = aesBlocks(hex.parseHex(kat.get("h.seed")), n);
        // residual masks: for the missing peer j = 2 > i, sgn(j, i) = -1
        BigInteger[][] rho = {negate(m02, q), negate(m12, q)};
        long[] readings = {Long.parseLong(kat.get("meter.meter-00000.reading")),
                Long.parseLong(kat.get("meter.meter-00001.reading"))};
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < 2; i++) {
            // scheme v2: c = F(k, t) + 2N x mod p
            BigInteger c = prf(h, keys[i], q, shift).add(BigInteger.valueOf(2L * N * readings[i])).mod(p);
            ByteArrayOutputStream ct = new ByteArrayOutputStream();
            ct.writeBytes(new byte[] {0x01, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
            ct.writeBytes(u64(LABEL));
            ct.writeBytes(u128(c));
            assertEquals(kat.get("meter.meter-0000" + i + ".ciphertext"), hex.formatHex(ct.toByteArray()));

            BigInteger answer = prf(h, rho[i], q, shift);
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            encoded.writeBytes(new byte[] {0x04, 0x01, (byte) (params.id() >>> 8), (byte) params.id()});
            encoded.writeBytes(u64(LABEL));
            encoded.writeBytes(digest);
            encoded.writeBytes(u128(answer));
            assertEquals(kat.get("recovery.meter-0000" + i + ".answer"), hex.formatHex(encoded.toByteArray()));
            v = v.add(c).subtract(answer);
        }
        // K' = K - b2 = k0 + k1 + k2 - b2
        BigInteger[] reduced = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            reduced[j] = keys[0][j].add(keys[1][j]).add(keys[2][j]).subtract(b2[j]).mod(q);
        }
        v = v.subtract(prf(h, reduced, q, shift)).add(BigInteger.valueOf(N - 1)).mod(p);
        BigInteger sum = v.divide(BigInteger.valueOf(2L * N));
        assertEquals(BigInteger.valueOf(readings[0] + readings[1]), sum);
        assertEquals(kat.get("recovery.aggregate"), sum.toString());
    }

    private static BigInteger prf(BigInteger[] h, BigInteger[] key, BigInteger q, int shift) {
        BigInteger dot = BigInteger.ZERO;
        for (int j = 0; j < h.length; j++) {
            dot = dot.add(h[j].multiply(key[j]));
        }
        return dot.mod(q).shiftRight(shift);
    }

    private static BigInteger[] negate(BigInteger[] v, BigInteger q) {
        BigInteger[] out = new BigInteger[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j].negate().mod(q);
        }
        return out;
    }

    /** mask = AES-256-CTR expansion of HKDF-SHA256(salt none, IKM = the X25519 secret, info of section 5). */
    private static BigInteger[] mask(PsaParameters params, byte[] ikm, String lower, String higher) throws Exception {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        str(info, "psa-metering/lwr-psa/mask/v1");
        info.write(params.id() >>> 8);
        info.write(params.id());
        str(info, params.name());
        str(info, GROUP);
        info.writeBytes(u64(EPOCH));
        str(info, lower);
        str(info, higher);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = hmac.doFinal(ikm);
        hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
        hmac.update(info.toByteArray());
        return aesBlocks(hmac.doFinal(new byte[] {1}), params.n());
    }

    /** X25519(scalar, u) with the JDK's XDH; u as its 32-byte little-endian RFC 7748 encoding. */
    private static byte[] x25519(byte[] scalar, byte[] u) throws Exception {
        KeyFactory xdh = KeyFactory.getInstance("X25519");
        PrivateKey mine = xdh.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = u[31 - i];
        }
        PublicKey theirs = xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                new BigInteger(1, bigEndian)));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        return agreement.generateSecret();
    }

    private static byte[] littleEndian(BigInteger v) {
        byte[] be = u128(v);
        byte[] out = new byte[32];
        for (int i = 0; i < 16; i++) {
            out[i] = be[15 - i];
        }
        return out;
    }

    private static byte[] u64(long v) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (v >>> (56 - 8 * i));
        }
        return out;
    }
}
