package org.psametering.crypto.internal;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/** SHAKE128 as extendable-output function (Bouncy Castle; the JDK has no public SHAKE API). */
final class Shake128Expander implements VectorExpander {

    private final SHAKEDigest shake = new SHAKEDigest(128);
    private boolean started;

    @Override
    public void start(byte[] seed) {
        VectorExpander.requireSeed(seed);
        shake.reset();
        shake.update(seed, 0, seed.length);
        started = true;
    }

    @Override
    public void next(byte[] out, int offset, int length) {
        if (!started) {
            throw new IllegalStateException("next() before start()");
        }
        shake.doOutput(out, offset, length); // keeps squeezing the same stream
    }

    @Override
    public String name() {
        return "SHAKE128";
    }
}
