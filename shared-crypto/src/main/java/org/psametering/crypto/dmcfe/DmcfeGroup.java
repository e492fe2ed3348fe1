package org.psametering.crypto.dmcfe;

import java.util.Objects;
import java.util.regex.Pattern;
import org.psametering.crypto.dmcfe.internal.MilagroBls12381;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * The public context of one DMCFE instance: N clients (indices 0..N-1) each encrypting one reading in
 * [0, maxReading] per label, with the inner-product function fixed to y = (1, ..., 1), i.e. the sum.
 *
 * @param groupId    names the instance; it is hashed into every label point and the functional-key point, so
 *                   ciphertexts and key shares of two groups never combine
 * @param size       number of clients N (at least 2: with one client its key share would reveal its secret)
 * @param maxReading largest reading a client may encrypt
 * @param curve      the pairing group
 */
public record DmcfeGroup(String groupId, int size, long maxReading, PairingGroup curve) {

    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public DmcfeGroup {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(curve, "curve");
        if (!GROUP_ID.matcher(groupId).matches()) {
            throw new IllegalArgumentException("DMCFE groupId must match [A-Za-z0-9._-]{1,64}, got '" + groupId + "'");
        }
        if (size < 2) {
            throw new IllegalArgumentException("DMCFE group needs at least 2 clients, got " + size);
        }
        if (maxReading < 1) {
            throw new IllegalArgumentException("DMCFE maxReading must be positive, got " + maxReading);
        }
        if (maxReading > (1L << 62) / size) {
            throw new IllegalArgumentException("DMCFE bound clients x maxReading = " + size + " x " + maxReading
                    + " exceeds 2^62");
        }
    }

    /** A group on BLS12-381 (the default curve). */
    public static DmcfeGroup onBls12381(String groupId, int size, long maxReading) {
        return new DmcfeGroup(groupId, size, maxReading, MilagroBls12381.INSTANCE);
    }

    /** The largest possible sum, N * maxReading: what the discrete-log table must cover. */
    public long bound() {
        return size * maxReading;
    }

    void checkClient(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("client index " + index + " outside 0.." + (size - 1)
                    + " of group " + groupId);
        }
    }
}
