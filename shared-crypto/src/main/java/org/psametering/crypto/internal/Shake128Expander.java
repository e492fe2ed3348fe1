package org.psametering.crypto.internal;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/** SHAKE128 as extendable-output function (Bouncy Castle; the JDK has no public SHAKE API). */
final class Shake128Expander implements VectorExpander {

    private final SHAKEDigest shake = new SHAKEDigest(128);

    @Override
    public void expand(byte[] seed, byte[] out, int length) {
        VectorExpander.requireSeed(seed);
        shake.reset();
        shake.update(seed, 0, seed.length);
        shake.doFinal(out, 0, length);
    }

    @Override
    public String name() {
        return "SHAKE128";
    }
}
