package org.psametering.protocol;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Arrays;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.Signatures;
import org.psametering.protocol.trust.SigningIdentity;
import org.psametering.protocol.trust.UntrustedIdentityException;

/**
 * Protocol version 2 envelope of everything the head-end tells the meters: announcements, key sets and recovery
 * requests. The body is the JSON message; the envelope adds the head-end's certificate and its Ed25519 signature, so a
 * meter acts only on what the head-end it was configured with said (docs/protocol.md, "Signed head-end messages").
 *
 * <pre>
 * offset   size  field
 * 0        1     format version = 2 (a bare JSON payload of protocol version 1 starts with '{' and is refused)
 * 1        1     kind: 1 = announcement, 2 = key set, 3 = recovery request
 * 2        4     B = body length, unsigned big-endian, 1..MAX_BODY
 * 6        B     body: GroupAnnouncement / KeySetMessage / RecoveryRequestMessage JSON
 * 6+B      2     C = certificate length, unsigned big-endian, 1..MAX_CERTIFICATE
 * 8+B      C     the head-end's X.509 certificate, DER
 * 8+B+C    64    Ed25519 signature over signedBytes(kind, body)
 * </pre>
 *
 * The kind is signed, so a signed announcement cannot be replayed as a recovery request; group and epoch are in the
 * body and the receiver compares them with the topic.
 */
public final class SignedMessage {

    /** What a signed head-end message carries; the code is the kind byte. */
    public enum Kind {
        ANNOUNCEMENT(1), KEY_SET(2), RECOVERY_REQUEST(3);

        final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        static Kind of(byte code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new MalformedMessageException("signed message: unknown kind " + (code & 0xff));
        }
    }

    public static final byte VERSION = 2;
    /** Key sets of large groups are the largest bodies; the broker's packet limit is below this anyway. */
    public static final int MAX_BODY = 1 << 26;
    public static final int MAX_CERTIFICATE = SignedPublicKey.MAX_CERTIFICATE;
    static final String DOMAIN = "psa-metering/v2/head-end-message";

    private final Kind kind;
    private final byte[] body;
    private final byte[] certificate;
    private final byte[] signature;

    private SignedMessage(Kind kind, byte[] body, byte[] certificate, byte[] signature) {
        this.kind = kind;
        this.body = body;
        this.certificate = certificate;
        this.signature = signature;
    }

    public static SignedMessage sign(SigningIdentity identity, Kind kind, byte[] body) {
        if (body.length < 1 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("body length " + body.length + " outside 1.." + MAX_BODY);
        }
        byte[] certificate = identity.certificateDer();
        if (certificate.length > MAX_CERTIFICATE) {
            throw new IllegalArgumentException("certificate of " + certificate.length + " bytes is above " + MAX_CERTIFICATE);
        }
        return new SignedMessage(kind, body.clone(), certificate, identity.sign(signedBytes(kind, body)));
    }

    public static byte[] signedBytes(Kind kind, byte[] body) {
        return new SignedBytes(DOMAIN).bytes(new byte[]{kind.code}).bytes(body).toByteArray();
    }

    /** Strict parse of the envelope (the signature is checked by {@link #open}). */
    public static SignedMessage parse(byte[] payload) {
        if (payload == null || payload.length < 1) {
            throw new MalformedMessageException("signed message: empty");
        }
        if (payload[0] != VERSION) {
            throw new MalformedMessageException("signed message: unsupported format version " + (payload[0] & 0xff) + " (expected "
                    + VERSION + "; unsigned messages of protocol version 1 are refused)");
        }
        if (payload.length < 6) {
            throw new MalformedMessageException("signed message: truncated header (" + payload.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        in.get();
        Kind kind = Kind.of(in.get());
        long bodyLength = Integer.toUnsignedLong(in.getInt());
        if (bodyLength < 1 || bodyLength > MAX_BODY || bodyLength > in.remaining()) {
            throw new MalformedMessageException("signed message: body length " + bodyLength + " outside 1.." + MAX_BODY
                    + " or beyond the " + in.remaining() + " bytes left");
        }
        byte[] body = new byte[(int) bodyLength];
        in.get(body);
        if (in.remaining() < 2) {
            throw new MalformedMessageException("signed message: truncated before the certificate length");
        }
        int certificateLength = Short.toUnsignedInt(in.getShort());
        if (certificateLength < 1 || certificateLength > MAX_CERTIFICATE || certificateLength > in.remaining()) {
            throw new MalformedMessageException("signed message: certificate length " + certificateLength + " outside 1.."
                    + MAX_CERTIFICATE + " or beyond the " + in.remaining() + " bytes left");
        }
        byte[] certificate = new byte[certificateLength];
        in.get(certificate);
        if (in.remaining() != Signatures.SIGNATURE_BYTES) {
            throw new MalformedMessageException("signed message: " + in.remaining() + " bytes left for the signature, expected "
                    + Signatures.SIGNATURE_BYTES);
        }
        byte[] signature = new byte[Signatures.SIGNATURE_BYTES];
        in.get(signature);
        return new SignedMessage(kind, body, certificate, signature);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(6 + body.length + 2 + certificate.length + signature.length);
        out.put(VERSION).put(kind.code).putInt(body.length).put(body).putShort((short) certificate.length).put(certificate)
                .put(signature);
        return out.array();
    }

    /**
     * The body, once the certificate is a valid HEAD_END certificate named {@code headEndName}, the signature verifies
     * and the kind is {@code expected}.
     *
     * @throws UntrustedIdentityException naming why the message cannot be believed
     * @throws MalformedMessageException  if it is another kind of message
     */
    public byte[] open(Kind expected, IdentityVerifier verifier, String headEndName) {
        if (kind != expected) {
            throw new MalformedMessageException("signed message of kind " + kind + " where " + expected + " belongs");
        }
        PublicKey signer = verifier.headEnd(certificate, headEndName);
        if (!Signatures.verify(signer, signedBytes(kind, body), signature)) {
            throw new UntrustedIdentityException(UntrustedIdentityException.MESSAGE_SIGNATURE, "the head-end's signature over a " + kind + " does not verify");
        }
        return body.clone();
    }

    public Kind kind() {
        return kind;
    }

    /** The unverified body (for tools that only watch; a meter uses {@link #open}). */
    public byte[] unverifiedBody() {
        return body.clone();
    }

    public byte[] certificate() {
        return certificate.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedMessage m && kind == m.kind && Arrays.equals(body, m.body) && Arrays.equals(certificate, m.certificate)
                && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedMessage[" + kind + ", body " + body.length + " bytes]";
    }
}
