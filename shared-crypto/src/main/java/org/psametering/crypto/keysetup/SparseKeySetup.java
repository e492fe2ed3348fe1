package org.psametering.crypto.keysetup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.psametering.crypto.psa.PsaKey;

/**
 * Key setup over the sparse mask graph (section 13): the section 5 formula with the sum restricted to the graph's
 * edges, share_i = sum over neighbours j &gt; i of mask_ij - sum over neighbours j &lt; i of mask_ji. Every edge's mask
 * is added once by its lower end and subtracted once by its higher end, so the shares still sum to zero and K = sum
 * k_i. The masks themselves are the v1 masks of section 5 (same HKDF info), only the set of pairs changes.
 */
public final class SparseKeySetup {

    private SparseKeySetup() {
    }

    /**
     * Blinds key with self's share over its neighbours: one X25519 agreement and one mask expansion per neighbour.
     * The caller has checked that keys.neighbours() is exactly self's row of the announced graph.
     *
     * @throws IllegalArgumentException if the key's parameter set differs from the group's, ownKey is not mine's
     *                                  public key, a neighbour key is invalid, or slices is below 1
     */
    public static BlindedKey blind(MeterId self, AgreementKeyPair mine, PsaKey key, NeighbourKeys keys, int slices,
                                   Executor executor) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(keys, "keys");
        KeySetup.requireBlindable(self, mine, key, keys.group(), keys.ownKey(), "neighbour key list", slices, executor);
        if (!self.equals(keys.self())) {
            throw new IllegalArgumentException("neighbour keys are for meter " + keys.self() + ", not " + self);
        }
        List<Map.Entry<MeterId, AgreementPublicKey>> peers = new ArrayList<>(keys.neighbours().entrySet());
        return KeySetup.blindWith(self, mine, key, keys.group(), peers, slices, executor);
    }

    /**
     * Section 13.4: the residual mask of a reporting meter over the sparse graph, rho = sum over its missing
     * neighbours j of sgn(j, self) * mask(self, j) (the section 11 formula restricted to edges); zero if none of its
     * neighbours is missing. Missing meters that are not neighbours share no mask with self and are skipped. The
     * policy checks (including TOO_FEW_REPORTING_NEIGHBOURS) are the caller's.
     *
     * @throws IllegalArgumentException if self is listed as missing, ownKey is not mine's public key, or a peer key
     *                                  is invalid
     */
    public static ResidualMask residualMask(MeterId self, AgreementKeyPair mine, NeighbourKeys keys,
                                            java.util.Collection<MeterId> missing) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(mine, "mine");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(missing, "missing");
        if (!self.equals(keys.self()) || !keys.ownKey().equals(mine.publicKey())) {
            throw new IllegalArgumentException("neighbour keys are not meter " + self + "'s own");
        }
        if (missing.contains(self)) {
            throw new IllegalArgumentException("meter " + self + " is listed as missing in its own request");
        }
        org.psametering.crypto.internal.ZqVector residual =
                org.psametering.crypto.internal.ZqVector.zero(keys.group().params().n());
        org.psametering.crypto.internal.VectorExpander expander = org.psametering.crypto.internal.VectorExpander.standard();
        int length = keys.group().params().vectorBytes();
        byte[] mask = new byte[length];
        try {
            for (MeterId other : new java.util.TreeSet<>(missing)) {
                AgreementPublicKey peer = keys.neighbours().get(other);
                if (peer == null) {
                    continue; // not a neighbour: no shared mask
                }
                byte[] secret = mine.sharedSecret(peer);
                try {
                    PairwiseMask.expand(expander, secret, keys.group(), self, other, mask);
                } finally {
                    java.util.Arrays.fill(secret, (byte) 0);
                }
                // the opposite of blind(): the missing peer's sign counts
                residual.addBytes(mask, 0, self.compareTo(other) < 0 ? -1 : +1);
            }
        } catch (RuntimeException e) {
            residual.wipe();
            throw e;
        } finally {
            java.util.Arrays.fill(mask, (byte) 0);
        }
        return new ResidualMask(self, keys.group(), residual);
    }
}
