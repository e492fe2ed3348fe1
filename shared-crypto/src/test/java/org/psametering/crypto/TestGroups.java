package org.psametering.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.AggregationKeys;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;

/** Builds whole groups for tests: through the real trustless key setup, or (for big N) by summing keys directly. */
public final class TestGroups {

    public record Meter(MeterId id, AgreementKeyPair agreement, PsaKey key) {
    }

    public record Setup(GroupContext group, KeySet keySet, List<Meter> meters, List<BlindedKey> blinded,
                        AggregationKey aggregationKey) {
    }

    private TestGroups() {
    }

    public static MeterId meterId(int i) {
        return new MeterId(String.format("meter-%05d", i));
    }

    /** Full key setup: X25519 pairs, KeySet, every meter blinds, head-end combines. */
    public static Setup withKeySetup(GroupContext group, String seed) {
        List<Meter> meters = meters(group, seed);
        KeySet keySet = keySet(group, meters);
        List<BlindedKey> blinded = new ArrayList<>();
        for (Meter m : meters) {
            blinded.add(KeySetup.blind(m.id(), m.agreement(), m.key(), keySet));
        }
        return new Setup(group, keySet, meters, blinded, AggregationKeys.combine(keySet, blinded));
    }

    /** The group's meters (an X25519 pair and a PSA key each, drawn in that order from {@code seed}), before any setup. */
    public static List<Meter> meters(GroupContext group, String seed) {
        DeterministicRandom random = new DeterministicRandom(seed);
        List<Meter> meters = new ArrayList<>();
        for (int i = 0; i < group.groupSize(); i++) {
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            meters.add(new Meter(meterId(i), pair, PsaKey.generate(group.params(), random)));
        }
        return meters;
    }

    /** Every meter's public key: the complete graph's key set. */
    public static KeySet keySet(GroupContext group, List<Meter> meters) {
        TreeMap<MeterId, AgreementPublicKey> publicKeys = new TreeMap<>();
        meters.forEach(m -> publicKeys.put(m.id(), m.agreement().publicKey()));
        return new KeySet(group, publicKeys);
    }

    /** Meter i's neighbours' public keys in a sparse graph: what its per-meter key set gives it. */
    public static NeighbourKeys neighbourKeys(GroupContext group, MaskGraph graph, List<Meter> meters, int i) {
        TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
        for (int j : graph.row(i)) {
            neighbours.put(meters.get(j).id(), meters.get(j).agreement().publicKey());
        }
        return new NeighbourKeys(group, meters.get(i).id(), meters.get(i).agreement().publicKey(), neighbours);
    }

    /** K as the plain sum of the keys (what the key setup must produce), without the O(N^2) setup. */
    public static AggregationKey sumOfKeys(GroupContext group, Iterable<PsaKey> keys) {
        ZqVector sum = ZqVector.zero(group.params().n());
        for (PsaKey key : keys) {
            sum.add(SecretAccess.psaKeys().vector(key));
        }
        return SecretAccess.aggregationKeys().create(group.params(), sum);
    }

    public static boolean sameKey(AggregationKey a, AggregationKey b) {
        return SecretAccess.aggregationKeys().vector(a).contentEquals(SecretAccess.aggregationKeys().vector(b));
    }
}
