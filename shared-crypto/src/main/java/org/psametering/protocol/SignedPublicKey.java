package org.psametering.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.Signatures;
import org.psametering.protocol.trust.SigningIdentity;
import org.psametering.protocol.trust.UntrustedIdentityException;
import org.psametering.protocol.trust.VerifyingKey;

/**
 * Payload of {@code psa/v1/{group}/{epoch}/pubkey/{meter}} in protocol version 2: a meter's X25519 epoch public key,
 * signed with the meter's Ed25519 identity key, with the meter's certificate. The head-end copies it unchanged into the
 * key set, so every member can check every other member's key itself (docs/protocol.md, "Signed keys").
 *
 * <pre>
 * offset   size  field
 * 0        1     format version = 2 (version 1 was the bare key encoding; it is refused)
 * 1        2     K = length of the key encoding, unsigned big-endian, 1..256
 * 3        K     X25519 public key, shared-crypto wire encoding
 * 3+K      2     C = length of the certificate, unsigned big-endian, 1..MAX_CERTIFICATE
 * 5+K      C     the meter's X.509 certificate, DER
 * 5+K+C    64    Ed25519 signature over signedBytes(group, epoch, meter, params, key encoding)
 * </pre>
 *
 * The signed bytes bind the key to its group, epoch, meter id and parameter set, so a signed key is worthless in any
 * other epoch or group (a replay is refused) and cannot be presented as another meter's.
 */
public final class SignedPublicKey {

    public static final byte VERSION = 2;
    public static final int MAX_KEY = 256;
    public static final int MAX_CERTIFICATE = 8192;
    static final String DOMAIN = "psa-metering/v2/epoch-public-key";

    private final byte[] keyEncoding;
    private final byte[] certificate;
    private final byte[] signature;

    private SignedPublicKey(byte[] keyEncoding, byte[] certificate, byte[] signature) {
        this.keyEncoding = keyEncoding;
        this.certificate = certificate;
        this.signature = signature;
    }

    /** Signs a key encoding for (group, epoch, meter, params). */
    public static SignedPublicKey sign(SigningIdentity identity, String group, long epoch, String meter, String params,
                                       byte[] keyEncoding) {
        if (keyEncoding.length < 1 || keyEncoding.length > MAX_KEY) {
            throw new IllegalArgumentException("key encoding length " + keyEncoding.length + " outside 1.." + MAX_KEY);
        }
        byte[] certificate = identity.certificateDer();
        if (certificate.length > MAX_CERTIFICATE) {
            throw new IllegalArgumentException("certificate of " + certificate.length + " bytes is above " + MAX_CERTIFICATE);
        }
        byte[] signature = identity.sign(signedBytes(group, epoch, meter, params, keyEncoding));
        return new SignedPublicKey(keyEncoding.clone(), certificate, signature);
    }

    /** The bytes the meter signs. */
    public static byte[] signedBytes(String group, long epoch, String meter, String params, byte[] keyEncoding) {
        return new SignedBytes(DOMAIN).text(group).number(epoch).text(meter).text(params).bytes(keyEncoding).toByteArray();
    }

    /** Strict parse of the frame (the signature is checked by {@link #verify}). */
    public static SignedPublicKey parse(byte[] payload) {
        if (payload == null || payload.length < 1) {
            throw new MalformedMessageException("signed public key: empty");
        }
        if (payload[0] != VERSION) {
            throw new MalformedMessageException("signed public key: unsupported format version " + (payload[0] & 0xff)
                    + " (expected " + VERSION + "; unsigned keys of protocol version 1 are refused)");
        }
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        byte[] key = field(in, "key", MAX_KEY);
        byte[] certificate = field(in, "certificate", MAX_CERTIFICATE);
        if (in.remaining() != Signatures.SIGNATURE_BYTES) {
            throw new MalformedMessageException("signed public key: " + in.remaining() + " bytes left for the signature, expected "
                    + Signatures.SIGNATURE_BYTES);
        }
        byte[] signature = new byte[Signatures.SIGNATURE_BYTES];
        in.get(signature);
        return new SignedPublicKey(key, certificate, signature);
    }

    private static byte[] field(ByteBuffer in, String what, int max) {
        if (in.remaining() < 2) {
            throw new MalformedMessageException("signed public key: truncated before the " + what + " length");
        }
        int length = Short.toUnsignedInt(in.getShort());
        if (length < 1 || length > max || length > in.remaining()) {
            throw new MalformedMessageException("signed public key: " + what + " length " + length + " outside 1.." + max
                    + " or beyond the " + in.remaining() + " bytes left");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + keyEncoding.length + 2 + certificate.length + signature.length);
        out.put(VERSION).putShort((short) keyEncoding.length).put(keyEncoding).putShort((short) certificate.length).put(certificate)
                .put(signature);
        return out.array();
    }

    /**
     * Checks the certificate (valid, Role METER, CN = {@code meter}) and the signature over this key for (group, epoch,
     * meter, params).
     *
     * @throws UntrustedIdentityException naming why the key cannot be believed
     */
    public void verify(IdentityVerifier verifier, String group, long epoch, String meter, String params) {
        VerifyingKey signer = verifier.meterKey(certificate, meter);
        if (!signer.verify(signedBytes(group, epoch, meter, params, keyEncoding), signature)) {
            throw new UntrustedIdentityException(UntrustedIdentityException.MESSAGE_SIGNATURE, "the signature of meter "
                    + LogSafe.text(meter) + " over its key for " + LogSafe.text(group) + "/" + epoch + " does not verify");
        }
    }

    /** The X25519 key, shared-crypto wire encoding (a copy). */
    public byte[] keyEncoding() {
        return keyEncoding.clone();
    }

    public byte[] certificate() {
        return certificate.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPublicKey k && Arrays.equals(keyEncoding, k.keyEncoding) && Arrays.equals(certificate, k.certificate)
                && Arrays.equals(signature, k.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyEncoding) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedPublicKey[key " + keyEncoding.length + " bytes, certificate " + certificate.length + " bytes]";
    }
}
