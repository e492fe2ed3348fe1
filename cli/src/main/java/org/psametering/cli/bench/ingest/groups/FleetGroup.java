package org.psametering.cli.bench.ingest.groups;

import java.util.List;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.protocol.MessageKey;

/**
 * One simulated group's meters, kept small: after key setup a meter is its id, a 16-byte seed of its PSA key (see
 * {@link SeededPsaKeys}) and its message key. The X25519 key pairs live only during key setup. Holds secrets: nothing
 * here is printed beyond ids.
 */
final class FleetGroup {
    final String id;
    final List<String> meters;
    final byte[][] keySeeds;
    final MessageKey[] messageKeys;
    AgreementKeyPair[] agreementKeys; // key setup only
    byte[] headEndKey;
    GroupContext context;
    long epoch = -1;
    long activeFrom = Long.MIN_VALUE;

    FleetGroup(String id, List<String> meters) {
        this.id = id;
        this.meters = List.copyOf(meters);
        this.keySeeds = new byte[meters.size()][];
        this.messageKeys = new MessageKey[meters.size()];
    }

    int size() {
        return meters.size();
    }

    @Override
    public String toString() {
        return "FleetGroup[" + id + ", " + meters.size() + " meters]";
    }
}
