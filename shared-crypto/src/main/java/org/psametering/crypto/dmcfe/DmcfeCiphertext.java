package org.psametering.crypto.dmcfe;

import java.util.Objects;
import org.psametering.crypto.dmcfe.pairing.G1Element;

/**
 * Client {@code client}'s encryption of its reading x under {@code label}: c = x*g1 + s_0*u_0 + s_1*u_1 in G1,
 * where (u_0, u_1) = H1(group, label).
 */
public record DmcfeCiphertext(int client, long label, G1Element value) {

    public DmcfeCiphertext {
        Objects.requireNonNull(value, "value");
        if (client < 0) {
            throw new IllegalArgumentException("client index must be non-negative, got " + client);
        }
    }
}
