package org.psametering.headend;

import java.util.List;
import java.util.OptionalLong;

import org.psametering.headend.core.EpochPhase;

/** A snapshot of one group for the HTTP API and for callers of {@link HeadEnd}: its newest epoch and progress. */
public record GroupStatus(String group, long epoch, EpochPhase phase, String params, int stepSeconds, List<String> members,
                          int publicKeysReceived, int blindedKeysReceived, OptionalLong activeFrom, List<Long> collectingEpochs,
                          int pendingCiphertexts) {
    public GroupStatus {
        members = List.copyOf(members);
        collectingEpochs = List.copyOf(collectingEpochs);
    }
}
