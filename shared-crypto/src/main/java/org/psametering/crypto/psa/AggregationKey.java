package org.psametering.crypto.psa;

import java.util.Objects;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;

/**
 * The head-end's key K = sum of the meters' keys (mod q). It decrypts only sums over the whole group, but it is still
 * secret: with it and all but one ciphertext an attacker learns the remaining reading.
 */
public final class AggregationKey {

    static {
        SecretAccess.register(new SecretAccess.AggregationKeys() {
            @Override
            public ZqVector vector(AggregationKey key) {
                return key.vector;
            }

            @Override
            public AggregationKey create(PsaParameters params, ZqVector vector) {
                return new AggregationKey(params, vector);
            }
        });
    }

    private final PsaParameters params;
    private final ZqVector vector;

    private AggregationKey(PsaParameters params, ZqVector vector) {
        this.params = Objects.requireNonNull(params, "params");
        if (vector.dimension() != params.n()) {
            throw new IllegalArgumentException("key dimension " + vector.dimension() + " does not match n = "
                    + params.n() + " of " + params.name());
        }
        this.vector = vector;
    }

    public PsaParameters params() {
        return params;
    }

    @Override
    public String toString() {
        return "AggregationKey[" + params.name() + ", secret]";
    }
}
