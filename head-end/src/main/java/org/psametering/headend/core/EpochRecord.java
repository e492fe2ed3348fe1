package org.psametering.headend.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.psametering.crypto.keysetup.GraphSpec;

/**
 * Everything persisted about one (group, epoch), enough to rebuild its key setup and collector after a restart.
 * Secrets at rest (shared-crypto secret encodings): {@code headEndKey}, the head-end's X25519 key of the epoch, and
 * once the epoch is active {@code aggregationKey} (null before). The blinded keys are n-vectors per member (48 KiB),
 * dropped off the core thread once nothing can use them (see BlindedKeyCleanup): right after K is stored for an epoch
 * that cannot recover steps, at retirement for a recoverable one, at supersession for one never activated. {@code maskGraph}: the sparse graph's public seed and
 * threshold (empty: the complete graph), stored so a restart or another instance announces the same graph.
 */
public record EpochRecord(String group, long epoch, String params, int stepSeconds, List<String> members, byte[] headEndKey,
                          EpochPhase phase, OptionalLong activeFrom, OptionalLong activeUntil,
                          Map<String, byte[]> publicKeys, Map<String, byte[]> blindedKeys, byte[] aggregationKey,
                          Optional<GraphSpec> maskGraph) {
    public EpochRecord {
        members = List.copyOf(members);
        publicKeys = Map.copyOf(publicKeys);
        blindedKeys = Map.copyOf(blindedKeys);
        maskGraph = maskGraph == null ? Optional.empty() : maskGraph;
    }

    /** An epoch over the complete graph. */
    public EpochRecord(String group, long epoch, String params, int stepSeconds, List<String> members, byte[] headEndKey,
                       EpochPhase phase, OptionalLong activeFrom, OptionalLong activeUntil,
                       Map<String, byte[]> publicKeys, Map<String, byte[]> blindedKeys, byte[] aggregationKey) {
        this(group, epoch, params, stepSeconds, members, headEndKey, phase, activeFrom, activeUntil, publicKeys, blindedKeys,
                aggregationKey, Optional.empty());
    }

    @Override
    public String toString() {
        return "EpochRecord[group=" + group + ", epoch=" + epoch + ", params=" + params + ", members=" + members.size()
                + ", phase=" + phase + ", activeFrom=" + activeFrom + ", activeUntil=" + activeUntil
                + ", maskGraph=" + maskGraph.map(GraphSpec::toString).orElse("complete") + "]";
    }
}
