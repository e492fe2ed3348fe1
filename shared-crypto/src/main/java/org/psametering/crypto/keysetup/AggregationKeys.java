package org.psametering.crypto.keysetup;

import java.util.Collection;
import java.util.Objects;
import org.psametering.crypto.psa.AggregationKey;

/** The head-end's side of the key setup: K = sum of all members' blinded keys (the masks cancel). */
public final class AggregationKeys {

    private AggregationKeys() {
    }

    /**
     * @throws IllegalArgumentException unless blinded holds exactly one key per member of keySet, all for its group
     */
    public static AggregationKey combine(KeySet keySet, Collection<BlindedKey> blinded) {
        Objects.requireNonNull(keySet, "keySet");
        Objects.requireNonNull(blinded, "blinded");
        BlindedKeySum sum = new BlindedKeySum(keySet);
        try {
            for (BlindedKey key : blinded) {
                sum.add(key);
            }
            return sum.aggregationKey();
        } finally {
            sum.wipe();
        }
    }
}
