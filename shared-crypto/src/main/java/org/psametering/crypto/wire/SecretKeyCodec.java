package org.psametering.crypto.wire;

import java.util.Arrays;
import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/**
 * SECRET MATERIAL: encodings of the meter's own keys (and the head-end's K) for their local state files only. Never
 * send these bytes, log them or store them where others can read them; wipe arrays you no longer need.
 *
 * <p>Layouts (all version 1): PSA key = 0x81, 0x01, u16 parameter-set id, n x 16 bytes; aggregation key = 0x83, 0x01,
 * u16 id, n x 16 bytes; X25519 key pair = 0x82, 0x01, 32-byte private key (the public key is recomputed).
 */
public final class SecretKeyCodec {

    private static final int X25519_PRIVATE_LENGTH = 32;

    private SecretKeyCodec() {
    }

    public static byte[] export(PsaKey key) {
        Objects.requireNonNull(key, "key");
        return vector(WireType.PSA_SECRET_KEY, key.params(), SecretAccess.psaKeys().vector(key));
    }

    public static PsaKey importPsaKey(byte[] encoded) {
        WireReader r = new WireReader(encoded, WireType.PSA_SECRET_KEY);
        PsaParameters params = r.params();
        int start = r.skip(params.vectorBytes(), "key vector");
        r.end();
        return SecretAccess.psaKeys().create(params, ZqVector.fromBytes(encoded, start, params.n()));
    }

    public static byte[] export(AggregationKey key) {
        Objects.requireNonNull(key, "key");
        return vector(WireType.AGGREGATION_KEY, key.params(), SecretAccess.aggregationKeys().vector(key));
    }

    public static AggregationKey importAggregationKey(byte[] encoded) {
        WireReader r = new WireReader(encoded, WireType.AGGREGATION_KEY);
        PsaParameters params = r.params();
        int start = r.skip(params.vectorBytes(), "key vector");
        r.end();
        return SecretAccess.aggregationKeys().create(params, ZqVector.fromBytes(encoded, start, params.n()));
    }

    public static byte[] export(AgreementKeyPair pair) {
        Objects.requireNonNull(pair, "pair");
        byte[] secret = SecretAccess.agreementKeyPairs().privateKey(pair);
        try {
            return new WireWriter(2 + X25519_PRIVATE_LENGTH, WireType.AGREEMENT_KEY_PAIR).bytes(secret).finish();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    public static AgreementKeyPair importAgreementKeyPair(byte[] encoded) {
        WireReader r = new WireReader(encoded, WireType.AGREEMENT_KEY_PAIR);
        byte[] secret = r.bytes(X25519_PRIVATE_LENGTH, "private key");
        r.end();
        try {
            return SecretAccess.agreementKeyPairs().fromPrivateKey(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] vector(WireType type, PsaParameters params, ZqVector v) {
        Encodings.requireRegistered(params);
        WireWriter w = new WireWriter(2 + 2 + v.encodedLength(), type).u16(params.id());
        v.writeBytes(w.array(), w.reserve(v.encodedLength()));
        return w.finish();
    }
}
