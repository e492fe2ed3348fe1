package org.psametering.headend.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything persisted about one (group, epoch), enough to rebuild its key setup and collector after a restart.
 * The aggregation key itself is not stored: it is re-derived from the stored blinded keys, so only one secret
 * (the head-end's X25519 key of the epoch, {@code headEndKey}, shared-crypto secret encoding) is at rest.
 */
public record EpochRecord(String group, long epoch, String params, int stepSeconds, List<String> members, byte[] headEndKey,
                          EpochPhase phase, OptionalLong activeFrom, OptionalLong activeUntil,
                          Map<String, byte[]> publicKeys, Map<String, byte[]> blindedKeys) {
    public EpochRecord {
        members = List.copyOf(members);
        publicKeys = Map.copyOf(publicKeys);
        blindedKeys = Map.copyOf(blindedKeys);
    }

    @Override
    public String toString() {
        return "EpochRecord[group=" + group + ", epoch=" + epoch + ", params=" + params + ", members=" + members.size()
                + ", phase=" + phase + ", activeFrom=" + activeFrom + ", activeUntil=" + activeUntil + "]";
    }
}
