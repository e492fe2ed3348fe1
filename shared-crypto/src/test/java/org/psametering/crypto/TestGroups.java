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
import org.psametering.crypto.keysetup.MeterId;
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
        DeterministicRandom random = new DeterministicRandom(seed);
        List<Meter> meters = new ArrayList<>();
        TreeMap<MeterId, AgreementPublicKey> publicKeys = new TreeMap<>();
        for (int i = 0; i < group.groupSize(); i++) {
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            PsaKey key = PsaKey.generate(group.params(), random);
            Meter meter = new Meter(meterId(i), pair, key);
            meters.add(meter);
            publicKeys.put(meter.id(), pair.publicKey());
        }
        KeySet keySet = new KeySet(group, publicKeys);
        List<BlindedKey> blinded = new ArrayList<>();
        for (Meter m : meters) {
            blinded.add(KeySetup.blind(m.id(), m.agreement(), m.key(), keySet));
        }
        return new Setup(group, keySet, meters, blinded, AggregationKeys.combine(keySet, blinded));
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
