package org.psametering.headend.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything persisted about one (group, epoch), enough to rebuild its key setup and collector after a restart.
 * Secrets at rest (shared-crypto secret encodings): {@code headEndKey}, the head-end's X25519 key of the epoch, and
 * once the epoch is active {@code aggregationKey} (null before). The blinded keys are kept only until K is stored:
 * they are n-vectors per member, large, and useless afterwards.
 */
public record EpochRecord(String group, long epoch, String params, int stepSeconds, List<String> members, byte[] headEndKey,
                          EpochPhase phase, OptionalLong activeFrom, OptionalLong activeUntil,
                          Map<String, byte[]> publicKeys, Map<String, byte[]> blindedKeys, byte[] aggregationKey) {
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
