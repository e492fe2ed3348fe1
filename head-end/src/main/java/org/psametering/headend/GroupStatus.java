package org.psametering.headend;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.psametering.headend.config.MaskGraphOption;
import org.psametering.headend.core.EpochPhase;

/**
 * A snapshot of one group for the HTTP API and for callers of {@link HeadEnd}: its newest epoch and progress.
 * {@code keySetupStalledSince} is set when the newest epoch's key setup has been running longer than the group's
 * {@code keySetupWarnSeconds} (when that setup started, as far as this head-end has seen it). {@code sparseGraph}: the
 * newest epoch masks over the sparse graph (shared-crypto README section 13), else over the complete graph;
 * {@code maskGraphOption}: the group's configured {@code maskGraph} (complete, sparse or auto), which decides it per epoch.
 */
public record GroupStatus(String group, long epoch, EpochPhase phase, String params, int stepSeconds, List<String> members,
                          int publicKeysReceived, int blindedKeysReceived, OptionalLong activeFrom, List<Long> collectingEpochs,
                          int pendingCiphertexts, Optional<Instant> keySetupStalledSince, boolean sparseGraph,
                          MaskGraphOption maskGraphOption) {
    public GroupStatus {
        members = List.copyOf(members);
        collectingEpochs = List.copyOf(collectingEpochs);
    }

    /** An epoch over the complete graph, configured {@code auto} (the default). */
    public GroupStatus(String group, long epoch, EpochPhase phase, String params, int stepSeconds, List<String> members,
                       int publicKeysReceived, int blindedKeysReceived, OptionalLong activeFrom, List<Long> collectingEpochs,
                       int pendingCiphertexts, Optional<Instant> keySetupStalledSince) {
        this(group, epoch, phase, params, stepSeconds, members, publicKeysReceived, blindedKeysReceived, activeFrom, collectingEpochs,
                pendingCiphertexts, keySetupStalledSince, false, MaskGraphOption.AUTO);
    }

    public GroupStatus(String group, long epoch, EpochPhase phase, String params, int stepSeconds, List<String> members,
                       int publicKeysReceived, int blindedKeysReceived, OptionalLong activeFrom, List<Long> collectingEpochs,
                       int pendingCiphertexts) {
        this(group, epoch, phase, params, stepSeconds, members, publicKeysReceived, blindedKeysReceived, activeFrom, collectingEpochs,
                pendingCiphertexts, Optional.empty());
    }
}
