package org.psametering.crypto.wire;

import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryRequest;

/**
 * Versioned binary encodings of what meters and head-end exchange (layouts in shared-crypto/README.md, "Wire formats").
 * Every decoder checks type, version, parameter-set id, ranges and exact length, and throws
 * {@link MalformedEncodingException} naming the offending field.
 */
public final class Encodings {

    /** Length of a version-1 ciphertext encoding. */
    public static final int CIPHERTEXT_LENGTH = 2 + 2 + 8 + 16;
    /** Length of a version-1 recovery-answer encoding. */
    public static final int RECOVERY_ANSWER_LENGTH = 2 + 2 + 8 + RecoveryRequest.DIGEST_BYTES + 16;
    /** Length of a version-1 public-key encoding. */
    public static final int PUBLIC_KEY_LENGTH = 2 + AgreementPublicKey.LENGTH;

    private Encodings() {
    }

    /** type 0x01, version 1, u16 parameter-set id, i64 label, u128 value (big-endian, &lt; p). */
    public static byte[] encode(Ciphertext ct, PsaParameters params) {
        Objects.requireNonNull(ct, "ciphertext");
        requireRegistered(params);
        if (!ct.fitsIn(params)) {
            throw new IllegalArgumentException("ciphertext value is not below p = 2^" + params.logP());
        }
        return new WireWriter(CIPHERTEXT_LENGTH, WireType.CIPHERTEXT)
                .u16(params.id()).u64(ct.label()).u64(ct.high()).u64(ct.low()).finish();
    }

    /** Decodes a ciphertext of any registered parameter set. */
    public static Ciphertext decodeCiphertext(byte[] encoded) {
        return readCiphertext(encoded, null);
    }

    /** Decodes a ciphertext and also requires it to belong to the expected parameter set. */
    public static Ciphertext decodeCiphertext(byte[] encoded, PsaParameters expected) {
        return readCiphertext(encoded, Objects.requireNonNull(expected, "expected parameters"));
    }

    /** The parameter set named by a ciphertext encoding (after full validation). */
    public static PsaParameters ciphertextParameters(byte[] encoded) {
        WireReader r = new WireReader(encoded, WireType.CIPHERTEXT);
        PsaParameters params = r.params();
        readCiphertext(encoded, params);
        return params;
    }

    private static Ciphertext readCiphertext(byte[] encoded, PsaParameters expected) {
        WireReader r = new WireReader(encoded, WireType.CIPHERTEXT);
        PsaParameters params = r.params();
        if (expected != null && params.id() != expected.id()) {
            throw r.fail("parameter set " + params.name() + ", expected " + expected.name());
        }
        long label = r.u64("label");
        long high = r.u64("value");
        long low = r.u64("value");
        r.end();
        if (high < 0 || (high >>> (params.logP() - 64)) != 0) {
            throw r.fail("value is not below p = 2^" + params.logP());
        }
        return new Ciphertext(label, high, low);
    }

    /**
     * type 0x04, version 1, u16 parameter-set id (a recoverable set), i64 label, 32-byte request digest, u128 value
     * (big-endian, &lt; p).
     */
    public static byte[] encode(RecoveryAnswer answer, PsaParameters params) {
        Objects.requireNonNull(answer, "recovery answer");
        requireRegistered(params);
        if (!params.scheme().supportsRecovery()) {
            throw new IllegalArgumentException("parameter set " + params.name() + " does not support recovery");
        }
        if (!answer.fitsIn(params)) {
            throw new IllegalArgumentException("recovery answer value is not below p = 2^" + params.logP());
        }
        return new WireWriter(RECOVERY_ANSWER_LENGTH, WireType.RECOVERY_ANSWER)
                .u16(params.id()).u64(answer.label()).bytes(answer.requestDigest())
                .u64(answer.high()).u64(answer.low()).finish();
    }

    /** Decodes a recovery answer that must belong to the expected (recoverable) parameter set. */
    public static RecoveryAnswer decodeRecoveryAnswer(byte[] encoded, PsaParameters expected) {
        Objects.requireNonNull(expected, "expected parameters");
        WireReader r = new WireReader(encoded, WireType.RECOVERY_ANSWER);
        PsaParameters params = r.params();
        if (params.id() != expected.id()) {
            throw r.fail("parameter set " + params.name() + ", expected " + expected.name());
        }
        if (!params.scheme().supportsRecovery()) {
            throw r.fail("parameter set " + params.name() + " does not support recovery");
        }
        long label = r.u64("label");
        byte[] digest = r.bytes(RecoveryRequest.DIGEST_BYTES, "request digest");
        long high = r.u64("value");
        long low = r.u64("value");
        r.end();
        if (high < 0 || (high >>> (params.logP() - 64)) != 0) {
            throw r.fail("value is not below p = 2^" + params.logP());
        }
        return new RecoveryAnswer(label, digest, high, low);
    }

    /** type 0x02, version 1, 32 bytes X25519 public key. */
    public static byte[] encode(AgreementPublicKey key) {
        Objects.requireNonNull(key, "public key");
        return new WireWriter(PUBLIC_KEY_LENGTH, WireType.AGREEMENT_PUBLIC_KEY).bytes(key.bytes()).finish();
    }

    public static AgreementPublicKey decodePublicKey(byte[] encoded) {
        WireReader r = new WireReader(encoded, WireType.AGREEMENT_PUBLIC_KEY);
        byte[] key = r.bytes(AgreementPublicKey.LENGTH, "public key");
        r.end();
        return new AgreementPublicKey(key);
    }

    /**
     * type 0x03, version 1, u16 parameter-set id, u64 epoch, u8 length + group id, u8 length + meter id, then n
     * elements of 16 bytes each (big-endian, any 128-bit value).
     */
    public static byte[] encode(BlindedKey key) {
        Objects.requireNonNull(key, "blinded key");
        GroupContext group = key.group();
        requireRegistered(group.params());
        ZqVector v = SecretAccess.blindedKeys().vector(key);
        int length = 2 + 2 + 8 + WireWriter.shortStringLength(group.groupId())
                + WireWriter.shortStringLength(key.meterId().value()) + v.encodedLength();
        WireWriter w = new WireWriter(length, WireType.BLINDED_KEY)
                .u16(group.params().id()).u64(group.epoch())
                .shortString(group.groupId()).shortString(key.meterId().value());
        v.writeBytes(w.array(), w.reserve(v.encodedLength()));
        return w.finish();
    }

    /** Decodes a blinded key that must belong to group; the meter id is only checked for syntax. */
    public static BlindedKey decodeBlindedKey(byte[] encoded, GroupContext group) {
        Objects.requireNonNull(group, "group");
        WireReader r = new WireReader(encoded, WireType.BLINDED_KEY);
        PsaParameters params = r.params();
        if (params.id() != group.params().id()) {
            throw r.fail("parameter set " + params.name() + ", group uses " + group.params().name());
        }
        long epoch = r.u64("epoch");
        if (epoch != group.epoch()) {
            throw r.fail("epoch " + epoch + ", expected " + group.epoch());
        }
        String groupId = r.shortString("group id");
        if (!groupId.equals(group.groupId())) {
            throw r.fail("group id '" + groupId + "', expected '" + group.groupId() + "'");
        }
        MeterId meter;
        try {
            meter = new MeterId(r.shortString("meter id"));
        } catch (IllegalArgumentException e) {
            throw r.fail(e.getMessage());
        }
        int start = r.skip(params.vectorBytes(), "key vector");
        r.end();
        return SecretAccess.blindedKeys().create(meter, group, ZqVector.fromBytes(r.input(), start, params.n()));
    }

    /** Decodes a blinded key that must belong to the key set's group and come from one of its members. */
    public static BlindedKey decodeBlindedKey(byte[] encoded, KeySet keySet) {
        Objects.requireNonNull(keySet, "keySet");
        BlindedKey key = decodeBlindedKey(encoded, keySet.group());
        if (!keySet.contains(key.meterId())) {
            throw new MalformedEncodingException("malformed blinded key encoding: meter " + key.meterId()
                    + " is not a member of group " + keySet.group().groupId());
        }
        return key;
    }

    static void requireRegistered(PsaParameters params) {
        Objects.requireNonNull(params, "params");
        PsaParameters registered;
        try {
            registered = PsaParameters.byId(params.id());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter set " + params.name() + " has no wire id", e);
        }
        if (!registered.equals(params)) {
            throw new IllegalArgumentException("parameter set " + params.name() + " is not the registered set with id "
                    + params.id());
        }
    }
}
