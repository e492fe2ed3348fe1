package org.psametering.meter.agent;

import java.util.Arrays;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.MessageKey;

/**
 * The working objects of one epoch, derived from its stored keys once and kept for the epoch's life so the per-step
 * path allocates little: the group context, the encryptor and the MAC key shared with the head-end.
 */
record EpochCrypto(GroupContext group, PsaEncryptor encryptor, MessageKey messageKey) {

    static EpochCrypto of(String groupId, String meterId, EpochState epoch, long lastUsedLabel) {
        GroupContext group = new GroupContext(groupId, epoch.epoch(), epoch.groupSize(), PsaParameters.byName(epoch.params()));
        PsaEncryptor encryptor = new PsaEncryptor(epoch.keys().psaKey(), group, lastUsedLabel);
        return new EpochCrypto(group, encryptor, messageKey(groupId, meterId, epoch));
    }

    static MessageKey messageKey(String groupId, String meterId, EpochState epoch) {
        byte[] shared = epoch.keys().agreementKey().sharedSecret(Encodings.decodePublicKey(epoch.headEndPublicKey()));
        try {
            return MessageKey.derive(shared, groupId, epoch.epoch(), meterId);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "EpochCrypto[" + group + "]";
    }
}
