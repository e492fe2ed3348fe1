package org.psametering.crypto.recovery;

import java.util.Objects;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.keysetup.SparseKeySetup;
import org.psametering.crypto.keysetup.PairwiseSeeds;
import org.psametering.crypto.keysetup.ResidualMask;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;

/**
 * The meter's side of recovery: F(rho_i, t) for the permitted request, where rho_i is its residual mask with the
 * missing meters. The residual vector is wiped before returning; only its PRF value at this one label leaves.
 * Work: one X25519 agreement and one mask expansion per missing meter, plus one PRF evaluation; or, with seeds
 * derived once per epoch ({@link PairwiseSeeds}), one mask expansion per missing meter plus one PRF evaluation.
 */
public final class RecoveryResponder {

    private RecoveryResponder() {
    }

    /**
     * @param mine this meter's X25519 key pair of the permit's epoch
     * @throws IllegalArgumentException if mine is not the key pair the key set lists for the permit's meter
     */
    public static RecoveryAnswer answer(RecoveryPermit permit, AgreementKeyPair mine) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(mine, "mine");
        if (permit.keySet() == null) {
            throw new IllegalArgumentException("a permit of a sparse group answers only with the meter's neighbour keys");
        }
        return answer(permit, KeySetup.residualMask(permit.self(), mine, permit.keySet(),
                permit.request().missing()));
    }

    /**
     * The same answer from the meter's pairwise seeds of the epoch (no X25519 agreement per answer).
     *
     * @throws IllegalArgumentException if seeds are not this meter's for the permit's key set
     */
    public static RecoveryAnswer answer(RecoveryPermit permit, PairwiseSeeds seeds) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(seeds, "seeds");
        // identity first: the meter holds one key set per epoch; the full comparison is O(N)
        if (!seeds.self().equals(permit.self())
                || (seeds.keySet() != permit.keySet() && !seeds.keySet().equals(permit.keySet()))) {
            throw new IllegalArgumentException("pairwise seeds of " + seeds.self() + " for "
                    + seeds.group().groupId() + " epoch " + seeds.group().epoch() + " do not belong to this permit");
        }
        return answer(permit, KeySetup.residualMask(seeds, permit.request().missing()));
    }

    /**
     * The answer on a sparse mask graph (shared-crypto README section 13.4): the residual over the permit's missing
     * meters that are neighbours of this meter in keys. The caller has also applied the sparse rule (enough reporting
     * neighbours); the permit's own checks are those of {@link RecoveryPolicy}.
     *
     * @throws IllegalArgumentException if keys are not this meter's
     */
    public static RecoveryAnswer answer(RecoveryPermit permit, AgreementKeyPair mine, NeighbourKeys keys) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(keys, "keys");
        if (!keys.self().equals(permit.self()) || !keys.group().equals(permit.request().group())) {
            throw new IllegalArgumentException("neighbour keys of " + keys.self() + " do not belong to this permit");
        }
        return answer(permit, SparseKeySetup.residualMask(permit.self(), mine, keys, permit.request().missing()));
    }

    private static RecoveryAnswer answer(RecoveryPermit permit, ResidualMask residual) {
        RecoveryRequest request = permit.request();
        GroupContext group = request.group();
        PsaParameters params = group.params();
        long[] value = new long[2];
        try {
            new RandomOracle(VectorExpander.standard(), params.n()).prf(params.id(), params.name(), group.groupId(),
                    group.epoch(), request.label(), SecretAccess.residualMasks().vector(residual), params.logP(),
                    value);
        } finally {
            residual.wipe();
        }
        return new RecoveryAnswer(request.label(), permit.digest(), value[0], value[1]);
    }
}
