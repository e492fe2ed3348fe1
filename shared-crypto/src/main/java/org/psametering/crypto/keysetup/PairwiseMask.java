package org.psametering.crypto.keysetup;

import java.util.Arrays;
import org.psametering.crypto.internal.DomainInput;
import org.psametering.crypto.internal.HkdfSha256;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.psa.GroupContext;

/**
 * The mask shared by two meters: seed = HKDF-SHA256(X25519 secret, salt = none, info = group, epoch, both ids in
 * order), expanded like H(t). Binding the ids in a fixed order makes both ends derive the same mask; binding group and
 * epoch makes a key set of one group/epoch useless in another.
 */
final class PairwiseMask {

    static final String MASK_DOMAIN = "psa-metering/lwr-psa/mask/v1";

    private PairwiseMask() {
    }

    static byte[] info(GroupContext group, MeterId lower, MeterId higher) {
        return new DomainInput()
                .string(MASK_DOMAIN)
                .u16(group.params().id())
                .string(group.params().name())
                .string(group.groupId())
                .u64(group.epoch())
                .string(lower.value())
                .string(higher.value())
                .toByteArray();
    }

    /** The 32-byte expander seed for the pair; wipes nothing, the caller owns sharedSecret. */
    static byte[] seed(byte[] sharedSecret, byte[] info) {
        return HkdfSha256.derive(sharedSecret, null, info, VectorExpander.SEED_BYTES);
    }

    /** The pair's expander seed (the caller owns sharedSecret and wipes the result). */
    static byte[] seed(byte[] sharedSecret, MeterId a, MeterId b, GroupContext group) {
        MeterId lower = a.compareTo(b) < 0 ? a : b;
        MeterId higher = lower == a ? b : a;
        return seed(sharedSecret, info(group, lower, higher));
    }

    /** Expands the pair's mask into buffer (16n bytes). */
    static void expand(VectorExpander expander, byte[] sharedSecret, GroupContext group, MeterId a, MeterId b,
                       byte[] buffer) {
        MeterId lower = a.compareTo(b) < 0 ? a : b;
        MeterId higher = lower == a ? b : a;
        byte[] seed = seed(sharedSecret, info(group, lower, higher));
        try {
            expander.expand(seed, buffer, group.params().vectorBytes());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
