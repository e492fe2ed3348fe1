package org.psametering.crypto.psa;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;

/**
 * A meter's secret PSA key k, uniform in Z_q^n. Never leaves the meter except blinded (see KeySetup) or in the meter's
 * own state file (see SecretKeyCodec).
 */
public final class PsaKey {

    static {
        SecretAccess.register(new SecretAccess.PsaKeys() {
            @Override
            public ZqVector vector(PsaKey key) {
                return key.vector;
            }

            @Override
            public PsaKey create(PsaParameters params, ZqVector vector) {
                return new PsaKey(params, vector);
            }
        });
    }

    private final PsaParameters params;
    private final ZqVector vector;

    private PsaKey(PsaParameters params, ZqVector vector) {
        this.params = Objects.requireNonNull(params, "params");
        if (vector.dimension() != params.n()) {
            throw new IllegalArgumentException("key dimension " + vector.dimension() + " does not match n = "
                    + params.n() + " of " + params.name());
        }
        this.vector = vector;
    }

    public static PsaKey generate(PsaParameters params, SecureRandom random) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[params.vectorBytes()];
        random.nextBytes(bytes);
        try {
            return new PsaKey(params, ZqVector.fromBytes(bytes, 0, params.n()));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public PsaParameters params() {
        return params;
    }

    @Override
    public String toString() {
        return "PsaKey[" + params.name() + ", secret]";
    }
}
