package org.psametering.meter.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a meter must not forget across restarts.
 *
 * @param meterId   owner of the data directory (a directory is never reused for another meter)
 * @param groupId   the group the keys belong to
 * @param lastLabel the last label a ciphertext was produced for ({@link #NO_LABEL} if none): never encrypted again
 * @param epochs    known epochs, oldest first (at most a few: the previous and current active ones and one in key setup)
 */
public record MeterState(String meterId, String groupId, long lastLabel, List<EpochState> epochs) {

    public static final long NO_LABEL = Long.MIN_VALUE;

    public MeterState {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(groupId, "groupId");
        epochs = epochs.stream().sorted(Comparator.comparingLong(EpochState::epoch)).toList();
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).epoch() == epochs.get(i - 1).epoch()) {
                throw new IllegalArgumentException("epoch " + epochs.get(i).epoch() + " appears twice");
            }
        }
    }

    public static MeterState fresh(String meterId, String groupId) {
        return new MeterState(meterId, groupId, NO_LABEL, List.of());
    }

    public Optional<EpochState> epoch(long epoch) {
        return epochs.stream().filter(e -> e.epoch() == epoch).findFirst();
    }

    /** The newest epoch this meter has keys for, active or not. */
    public Optional<EpochState> newest() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    /** The epoch whose key encrypts {@code label}: the active one with the largest {@code activeFromLabel <= label}. */
    public Optional<EpochState> keyFor(long label) {
        EpochState best = null;
        for (EpochState e : epochs) {
            if (e.isActive() && e.activeFromLabel() <= label && (best == null || e.activeFromLabel() > best.activeFromLabel())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    public MeterState withLastLabel(long label) {
        return new MeterState(meterId, groupId, label, epochs);
    }

    public MeterState withEpochs(List<EpochState> next) {
        return new MeterState(meterId, groupId, lastLabel, next);
    }

    /** Replaces the epoch with the same number as {@code changed} (or adds it). */
    public MeterState with(EpochState changed) {
        List<EpochState> next = new ArrayList<>(epochs.stream().filter(e -> e.epoch() != changed.epoch()).toList());
        next.add(changed);
        return withEpochs(next);
    }

    @Override
    public String toString() {
        return "MeterState[meterId=" + meterId + ", groupId=" + groupId + ", lastLabel="
                + (lastLabel == NO_LABEL ? "none" : lastLabel) + ", epochs=" + epochs + "]";
    }
}
