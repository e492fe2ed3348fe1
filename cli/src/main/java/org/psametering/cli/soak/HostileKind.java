package org.psametering.cli.soak;

/** What a hostile message is. */
public enum HostileKind {
    /** Random bytes of a plausible size. */
    GARBAGE,
    /** Random bytes larger than any real frame (1 MiB + 22 B). */
    OVERSIZED,
    /** Well-formed but made up: a ciphertext or blinded key under a guessed key, a replaced public key, a bogus announcement. */
    FORGED,
    /** A real message overheard earlier, published again on its own topic, another meter's or another epoch's. */
    REPLAYED
}
