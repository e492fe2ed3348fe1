package org.psametering.crypto.dmcfe;

import java.util.Objects;
import org.psametering.crypto.dmcfe.pairing.G2Element;

/**
 * Client i's share of the functional key for y = (1, ..., 1): d_i = [y_i * s_i + T_i * v_y] in G2^2. Safe to
 * send to the decryptor (T_i hides s_i), but only the sum of all N shares is useful.
 */
public record DmcfeKeyShare(int client, G2Element d0, G2Element d1) {

    public DmcfeKeyShare {
        Objects.requireNonNull(d0, "d0");
        Objects.requireNonNull(d1, "d1");
        if (client < 0) {
            throw new IllegalArgumentException("client index must be non-negative, got " + client);
        }
    }

    @Override
    public String toString() {
        return "DmcfeKeyShare[client=" + client + "]";
    }
}
