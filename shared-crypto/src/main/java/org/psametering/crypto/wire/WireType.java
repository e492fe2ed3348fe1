package org.psametering.crypto.wire;

/** The first byte of every encoding, so that one kind of object is never parsed as another. */
enum WireType {
    CIPHERTEXT(0x01, "ciphertext"),
    AGREEMENT_PUBLIC_KEY(0x02, "X25519 public key"),
    BLINDED_KEY(0x03, "blinded key"),
    RECOVERY_ANSWER(0x04, "recovery answer"),
    PSA_SECRET_KEY(0x81, "PSA secret key"),
    AGREEMENT_KEY_PAIR(0x82, "X25519 key pair"),
    AGGREGATION_KEY(0x83, "aggregation key");

    /** The only version of every encoding so far. */
    static final int VERSION_1 = 1;

    final int tag;
    final String description;

    WireType(int tag, String description) {
        this.tag = tag;
        this.description = description;
    }
}
