package org.psametering.crypto.dmcfe;

import java.util.List;
import java.util.Objects;
import org.psametering.crypto.dmcfe.internal.DomainHashes;
import org.psametering.crypto.dmcfe.pairing.G1Element;
import org.psametering.crypto.dmcfe.pairing.G2Element;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * Recovers the sum of the N readings under one label: first the sum in the exponent,
 * e(sum_i c_i, g2) * e(u_0, d_0)^-1 * e(u_1, d_1)^-1 = e(g1, g2)^(sum_i x_i), then its bounded discrete log.
 */
public final class DmcfeDecryptor {

    private final DmcfeGroup group;
    private final PairingGroup curve;
    private final DiscreteLogTable table;
    private final G2Element[] pairingRight;

    public DmcfeDecryptor(DmcfeFunctionalKey key, DiscreteLogTable table) {
        Objects.requireNonNull(key, "key");
        this.table = Objects.requireNonNull(table, "table");
        this.group = key.group();
        this.curve = group.curve();
        if (!table.curve().equals(curve)) {
            throw new IllegalArgumentException("discrete-log table is for " + table.curve().name()
                    + " but the group uses " + curve.name());
        }
        // negating d once turns the two divisions into factors of one pairing product
        this.pairingRight = new G2Element[] {curve.g2Generator(), key.d0().negate(), key.d1().negate()};
    }

    /** The exact sum of the readings under {@code label}; see {@link #sumInExponent} for the checks. */
    public long decrypt(long label, List<DmcfeCiphertext> ciphertexts, DiscreteLogTable.Progress progress) {
        return table.log(sumInExponent(label, ciphertexts), progress);
    }

    public long decrypt(long label, List<DmcfeCiphertext> ciphertexts) {
        return decrypt(label, ciphertexts, DiscreteLogTable.Progress.NONE);
    }

    /**
     * e(g1, g2)^sum, the pairing half of decryption.
     *
     * @throws IllegalArgumentException unless there is exactly one ciphertext per client, all under {@code label}
     */
    public GtElement sumInExponent(long label, List<DmcfeCiphertext> ciphertexts) {
        Objects.requireNonNull(ciphertexts, "ciphertexts");
        if (ciphertexts.size() != group.size()) {
            throw new IllegalArgumentException("need one ciphertext per client: group " + group.groupId() + " has "
                    + group.size() + " clients, got " + ciphertexts.size() + " ciphertexts");
        }
        boolean[] seen = new boolean[group.size()];
        G1Element sum = null;
        for (DmcfeCiphertext ct : ciphertexts) {
            if (ct.label() != label) {
                throw new IllegalArgumentException("ciphertext of client " + ct.client() + " is for label "
                        + ct.label() + ", not " + label);
            }
            group.checkClient(ct.client());
            if (seen[ct.client()]) {
                throw new IllegalArgumentException("two ciphertexts from client " + ct.client() + " for label " + label);
            }
            seen[ct.client()] = true;
            sum = sum == null ? ct.value() : sum.add(ct.value());
        }
        G1Element[] u = DomainHashes.labelPoints(curve, group.groupId(), label);
        return curve.pairingProduct(new G1Element[] {sum, u[0], u[1]}, pairingRight);
    }

    public DiscreteLogTable table() {
        return table;
    }
}
