package org.psametering.crypto.keysetup;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.psametering.crypto.psa.GroupContext;

/**
 * SECRET: one meter's 32-byte mask seeds (HKDF output of section 5) with every other member of one epoch, derived
 * once so that a recovery answer costs mask expansions only, not one X25519 agreement per missing meter. They are
 * no more than the meter's X25519 private key already gives (it derives them all), so they may live where that key
 * lives; but never send, log or print them, and {@link #wipe()} them when the epoch ends. 32 bytes per member.
 */
public final class PairwiseSeeds {

    private final MeterId self;
    private final KeySet keySet;
    private final Map<MeterId, byte[]> seeds;

    private PairwiseSeeds(MeterId self, KeySet keySet, Map<MeterId, byte[]> seeds) {
        this.self = self;
        this.keySet = keySet;
        this.seeds = seeds;
    }

    /**
     * N - 1 X25519 agreements and HKDF derivations (the cost of a key setup without the expansions).
     *
     * @throws IllegalArgumentException if self is not in the key set, the key set lists a different public key for
     *                                  self, or a peer key is invalid
     */
    public static PairwiseSeeds derive(MeterId self, AgreementKeyPair mine, KeySet keySet) {
        Objects.requireNonNull(keySet, "keySet");
        return derive(self, mine, keySet, keySet.members().keySet());
    }

    /**
     * The seeds with the given peers only: |peers| agreements. For a simulation that knows beforehand which members
     * can be missing (the recovery benchmark with thousands of meters in one process); an answer for a request that
     * lists a missing meter outside peers fails with IllegalArgumentException. Self in peers is skipped.
     *
     * @throws IllegalArgumentException as {@link #derive(MeterId, AgreementKeyPair, KeySet)}, or if a peer is not a
     *                                  member
     */
    public static PairwiseSeeds derive(MeterId self, AgreementKeyPair mine, KeySet keySet, Collection<MeterId> peers) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(mine, "mine");
        Objects.requireNonNull(keySet, "keySet");
        Objects.requireNonNull(peers, "peers");
        if (!keySet.publicKeyOf(self).equals(mine.publicKey())) {
            throw new IllegalArgumentException("the key set lists a different public key for meter " + self
                    + " than this meter's own key pair");
        }
        Map<MeterId, byte[]> seeds = new HashMap<>();
        try {
            for (MeterId other : peers) {
                if (other.equals(self) || seeds.containsKey(other)) {
                    continue;
                }
                byte[] secret = mine.sharedSecret(keySet.publicKeyOf(other));
                try {
                    seeds.put(other, PairwiseMask.seed(secret, self, other, keySet.group()));
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
        } catch (RuntimeException e) {
            seeds.values().forEach(s -> Arrays.fill(s, (byte) 0));
            throw e;
        }
        return new PairwiseSeeds(self, keySet, seeds);
    }

    public MeterId self() {
        return self;
    }

    public KeySet keySet() {
        return keySet;
    }

    public GroupContext group() {
        return keySet.group();
    }

    /** The live seed shared with peer (callers must not modify or keep it); IllegalArgumentException if none. */
    byte[] seedWith(MeterId peer) {
        byte[] seed = seeds.get(peer);
        if (seed == null) {
            throw new IllegalArgumentException(peer.equals(self)
                    ? "meter " + self + " is listed as missing in its own request"
                    : "meter " + peer + " is not a member of group " + keySet.group().groupId());
        }
        return seed;
    }

    /** Overwrites every seed; this object must not be used afterwards. */
    public void wipe() {
        seeds.values().forEach(s -> Arrays.fill(s, (byte) 0));
    }

    @Override
    public String toString() {
        return "PairwiseSeeds[meter=" + self + ", group=" + keySet.group().groupId() + ", epoch="
                + keySet.group().epoch() + ", " + seeds.size() + " peers, secret]";
    }
}
