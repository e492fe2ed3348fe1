package org.psametering.meter.agent;

import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;

/**
 * Turns a received key set into the crypto {@link KeySet} only if it is the one this meter joined: same parameter set
 * and size as the epoch's announcement, and carrying exactly the public key this meter published. Used for blinding
 * (key setup) and, later in the epoch, for recovery answers, so both derive their pairwise masks from the same keys.
 */
final class KeySetCheck {

    private KeySetCheck() {
    }

    /** @throws MalformedMessageException if the key set does not match what this meter joined */
    static KeySet verified(String groupId, String meterId, KeySetMessage message, EpochState epoch) {
        if (!message.group().equals(groupId) || message.epoch() != epoch.epoch()) {
            throw new MalformedMessageException("key set for group " + message.group() + " epoch " + message.epoch()
                    + " checked against epoch " + epoch.epoch() + " of " + groupId);
        }
        if (!message.params().equals(epoch.params()) || message.members().size() != epoch.groupSize()) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " does not match its announcement");
        }
        if (!message.members().contains(meterId)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " lacks this meter");
        }
        byte[] ours = Encodings.encode(epoch.keys().agreementKey().publicKey());
        if (!Arrays.equals(message.publicKey(meterId), ours)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " carries a public key for this meter"
                    + " that is not the one it published");
        }
        SortedMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (String member : message.members()) {
            members.put(new MeterId(member), Encodings.decodePublicKey(message.publicKey(member)));
        }
        GroupContext group = new GroupContext(groupId, epoch.epoch(), epoch.groupSize(), PsaParameters.byName(epoch.params()));
        return new KeySet(group, members);
    }
}
