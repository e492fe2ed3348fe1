package org.psametering.crypto.keysetup;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.psametering.crypto.internal.SecretAccess;

/** A meter's X25519 key pair for the pairwise key agreement of the key setup (Bouncy Castle implementation). */
public final class AgreementKeyPair {

    static {
        SecretAccess.register(new SecretAccess.AgreementKeyPairs() {
            @Override
            public byte[] privateKey(AgreementKeyPair pair) {
                return pair.privateKey.getEncoded();
            }

            @Override
            public AgreementKeyPair fromPrivateKey(byte[] privateKey) {
                if (privateKey.length != X25519PrivateKeyParameters.KEY_SIZE) {
                    throw new IllegalArgumentException("X25519 private key must be "
                            + X25519PrivateKeyParameters.KEY_SIZE + " bytes");
                }
                return new AgreementKeyPair(new X25519PrivateKeyParameters(privateKey, 0));
            }
        });
    }

    private final X25519PrivateKeyParameters privateKey;
    private final AgreementPublicKey publicKey;

    private AgreementKeyPair(X25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new AgreementPublicKey(privateKey.generatePublicKey().getEncoded());
    }

    public static AgreementKeyPair generate(SecureRandom random) {
        return new AgreementKeyPair(new X25519PrivateKeyParameters(Objects.requireNonNull(random, "random")));
    }

    public AgreementPublicKey publicKey() {
        return publicKey;
    }

    /**
     * The 32-byte X25519 shared secret with other (secret: derive keys from it, never send or log it).
     *
     * @throws IllegalArgumentException if other is a low-order point (the agreement would be all zeros)
     */
    public byte[] sharedSecret(AgreementPublicKey other) {
        Objects.requireNonNull(other, "other public key");
        byte[] secret = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
        try {
            privateKey.generateSecret(new X25519PublicKeyParameters(other.bytes(), 0), secret, 0);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("X25519 agreement with " + other
                    + " yields zero: the peer's public key is a low-order point", e);
        }
        return secret;
    }

    @Override
    public String toString() {
        return "AgreementKeyPair[public=" + publicKey + ", private=secret]";
    }
}
