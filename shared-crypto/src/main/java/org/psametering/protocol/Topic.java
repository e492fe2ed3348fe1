package org.psametering.protocol;

import java.util.Optional;

/**
 * A parsed topic. {@code epoch} is -1 for the per-group topics (announce, result); {@code meter} is empty except
 * for the per-meter topics (pubkey, blinded, ct, answer, and the per-meter keyset of a sparse-graph epoch).
 */
public record Topic(TopicKind kind, String group, long epoch, Optional<String> meter) {
    public Topic {
        ProtocolIds.require("group id", group);
        meter.ifPresent(m -> ProtocolIds.require("meter id", m));
    }

    /** The meter id of a per-meter topic; throws if this kind of topic has none. */
    public String meterId() {
        return meter.orElseThrow(() -> new IllegalStateException(kind + " topic has no meter id"));
    }
}
