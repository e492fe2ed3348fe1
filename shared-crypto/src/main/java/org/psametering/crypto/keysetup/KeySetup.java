package org.psametering.crypto.keysetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;

/**
 * Key setup without a trusted party: each pair of meters derives a mask from their X25519 secret; the lower id adds
 * it, the higher subtracts it, so the shares of all members sum to zero and the blinded keys sum to K = sum k_i.
 */
public final class KeySetup {

    private KeySetup() {
    }

    /**
     * Blinds key with this meter's share. Work is one X25519 agreement and one mask expansion per other member, folded
     * into one accumulator in place.
     *
     * @throws IllegalArgumentException if self is not in the key set, the key set lists a different public key for
     *                                  self, a peer key is invalid, or the parameter sets differ
     */
    public static BlindedKey blind(MeterId self, AgreementKeyPair mine, PsaKey key, KeySet keySet) {
        return blind(self, mine, key, keySet, 1, Runnable::run);
    }

    /**
     * As {@link #blind(MeterId, AgreementKeyPair, PsaKey, KeySet)}, with the other members split into {@code slices}
     * contiguous runs: the first run on the calling thread, the others on {@code executor}, each folded into its own
     * accumulator, which are then added to the key. The result is the same (addition mod 2^128 per element is
     * commutative and associative); the per-member work (one X25519 agreement and one mask expansion) runs on up to
     * {@code slices} cores. Each accumulator is wiped after use.
     *
     * @throws IllegalArgumentException as the other form, or if slices is below 1
     */
    public static BlindedKey blind(MeterId self, AgreementKeyPair mine, PsaKey key, KeySet keySet, int slices, Executor executor) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(keySet, "keySet");
        requireBlindable(self, mine, key, keySet.group(), keySet.publicKeyOf(self), "key set", slices, executor);
        List<Map.Entry<MeterId, AgreementPublicKey>> peers = keySet.members().entrySet().stream()
                .filter(peer -> !peer.getKey().equals(self)).toList();
        return blindWith(self, mine, key, keySet.group(), peers, slices, executor);
    }

    /**
     * The checks both graphs make before blinding: nothing null, at least one slice, the key's parameter set is the
     * group's, and {@code listedOwnKey} (what the {@code source} lists for self) is mine's public key.
     */
    static void requireBlindable(MeterId self, AgreementKeyPair mine, PsaKey key, GroupContext group,
                                 AgreementPublicKey listedOwnKey, String source, int slices, Executor executor) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(mine, "mine");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(executor, "executor");
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be at least 1, was " + slices);
        }
        if (!key.params().equals(group.params())) {
            throw new IllegalArgumentException("PSA key is for " + key.params().name() + " but the group uses "
                    + group.params().name());
        }
        if (!listedOwnKey.equals(mine.publicKey())) {
            throw new IllegalArgumentException("the " + source + " lists a different public key for meter " + self
                    + " than this meter's own key pair");
        }
    }

    /**
     * k + sum over peers of +-mask(self, peer), folded on up to slices threads: the complete graph passes every other
     * member, the sparse graph (section 13) self's neighbours only. The caller has checked key, group and peers.
     */
    static BlindedKey blindWith(MeterId self, AgreementKeyPair mine, PsaKey key, GroupContext group,
                                List<Map.Entry<MeterId, AgreementPublicKey>> peers, int slices, Executor executor) {
        int runs = Math.max(1, Math.min(slices, peers.size()));
        ZqVector blinded = SecretAccess.psaKeys().vector(key).copy();
        List<CompletableFuture<ZqVector>> others = new ArrayList<>(runs - 1);
        for (int run = 1; run < runs; run++) {
            List<Map.Entry<MeterId, AgreementPublicKey>> part = peers.subList(run * peers.size() / runs, (run + 1) * peers.size() / runs);
            others.add(CompletableFuture.supplyAsync(() -> {
                ZqVector partial = ZqVector.zero(blinded.dimension());
                try {
                    fold(self, mine, group, part, partial);
                    return partial;
                } catch (RuntimeException e) {
                    partial.wipe();
                    throw e;
                }
            }, executor));
        }
        RuntimeException failure = null;
        try {
            fold(self, mine, group, peers.subList(0, peers.size() / runs), blinded);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<ZqVector> other : others) {
            try {
                ZqVector partial = other.join();
                if (failure == null) {
                    blinded.add(partial);
                }
                partial.wipe();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (failure != null) {
            blinded.wipe();
            throw failure;
        }
        return SecretAccess.blindedKeys().create(self, group, blinded);
    }

    /** accumulator += sum over peers of +-mask(self, peer): one agreement and one expansion per peer. */
    private static void fold(MeterId self, AgreementKeyPair mine, GroupContext group, List<Map.Entry<MeterId, AgreementPublicKey>> peers,
                             ZqVector accumulator) {
        VectorExpander expander = VectorExpander.standard();
        byte[] mask = new byte[group.params().vectorBytes()];
        try {
            for (Map.Entry<MeterId, AgreementPublicKey> peer : peers) {
                MeterId other = peer.getKey();
                int order = self.compareTo(other);
                byte[] secret = mine.sharedSecret(peer.getValue());
                try {
                    PairwiseMask.expand(expander, secret, group, self, other, mask);
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
                accumulator.addBytes(mask, 0, order < 0 ? +1 : -1);
            }
        } finally {
            Arrays.fill(mask, (byte) 0);
        }
    }

    /**
     * The residual mask of meter self for a step whose missing meters are missing: rho = sum over j in missing of
     * sgn(j, self) * mask(self, j), where sgn(j, self) = +1 if j &lt; self (the missing meter added the pair's mask to
     * its share) and -1 if j &gt; self (it subtracted it). Work is one X25519 agreement and one mask expansion per
     * missing meter. The policy checks (who may ask, how often) are not made here: see
     * org.psametering.crypto.recovery.RecoveryPolicy.
     *
     * @throws IllegalArgumentException if self or a missing meter is not in the key set, self is listed as missing,
     *                                  the key set lists a different public key for self, or missing is empty
     */
    public static ResidualMask residualMask(MeterId self, AgreementKeyPair mine, KeySet keySet,
                                            Collection<MeterId> missing) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(mine, "mine");
        Objects.requireNonNull(keySet, "keySet");
        if (!keySet.publicKeyOf(self).equals(mine.publicKey())) {
            throw new IllegalArgumentException("the key set lists a different public key for meter " + self
                    + " than this meter's own key pair");
        }
        return residual(self, keySet, missing, other -> {
            byte[] secret = mine.sharedSecret(keySet.publicKeyOf(other));
            try {
                return PairwiseMask.seed(secret, self, other, keySet.group());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }, true);
    }

    /**
     * The same residual mask from seeds derived beforehand ({@link PairwiseSeeds#derive}): one mask expansion per
     * missing meter, no agreement.
     *
     * @throws IllegalArgumentException as the other form, or if seeds belong to another meter or key set
     */
    public static ResidualMask residualMask(PairwiseSeeds seeds, Collection<MeterId> missing) {
        Objects.requireNonNull(seeds, "seeds");
        return residual(seeds.self(), seeds.keySet(), missing, seeds::seedWith, false);
    }

    /** @param ownsSeeds whether each seed from seedOf is a fresh array to wipe after use */
    private static ResidualMask residual(MeterId self, KeySet keySet, Collection<MeterId> missing,
                                         Function<MeterId, byte[]> seedOf, boolean ownsSeeds) {
        Objects.requireNonNull(missing, "missing");
        if (missing.isEmpty()) {
            throw new IllegalArgumentException("no missing meter: the step aggregates without recovery");
        }
        SortedSet<MeterId> distinct = new TreeSet<>(missing);
        if (distinct.size() != missing.size()) {
            throw new IllegalArgumentException("a missing meter is listed twice");
        }
        keySet.publicKeyOf(self); // self must be a member
        ZqVector residual = ZqVector.zero(keySet.group().params().n());
        VectorExpander expander = VectorExpander.standard();
        int length = keySet.group().params().vectorBytes();
        byte[] mask = new byte[length];
        try {
            for (MeterId other : distinct) {
                int order = self.compareTo(other);
                if (order == 0) {
                    throw new IllegalArgumentException("meter " + self + " is listed as missing in its own request");
                }
                keySet.publicKeyOf(other); // every missing meter must be a member
                byte[] seed = seedOf.apply(other);
                try {
                    expander.expand(seed, mask, length);
                } finally {
                    if (ownsSeeds) {
                        Arrays.fill(seed, (byte) 0);
                    }
                }
                // the opposite of blind(): there self adds when it is the lower id; here the missing peer's sign counts
                residual.addBytes(mask, 0, order < 0 ? -1 : +1);
            }
        } catch (RuntimeException e) {
            residual.wipe();
            throw e;
        } finally {
            Arrays.fill(mask, (byte) 0);
        }
        return new ResidualMask(self, keySet.group(), residual);
    }
}
