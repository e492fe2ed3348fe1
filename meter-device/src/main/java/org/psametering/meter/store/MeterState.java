package org.psametering.meter.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a meter must not forget across restarts.
 *
 * <p>The label-reuse guarantee is kept per epoch ({@link EpochState#lastLabel()}), not as one number for the meter:
 * every epoch has its own freshly generated key, so the pair that must never repeat is (epoch key, label), and within
 * one epoch every label is counted in that epoch's step length. One meter-wide number mixed units once the head-end
 * changed the step length (a 900 s label is ~15 times smaller than a 60 s label of the same instant), which either
 * refused every later step or compared labels of different meaning (issue 14).
 *
 * @param meterId owner of the data directory (a directory is never reused for another meter)
 * @param groupId the group the keys belong to
 * @param epochs  known epochs, oldest first (at most a few: the previous and current active ones and one in key setup)
 */
public record MeterState(String meterId, String groupId, List<EpochState> epochs) {

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
        return new MeterState(meterId, groupId, List.of());
    }

    public Optional<EpochState> epoch(long epoch) {
        return epochs.stream().filter(e -> e.epoch() == epoch).findFirst();
    }

    /** The newest epoch this meter has keys for, active or not. */
    public Optional<EpochState> newest() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    /** The newest active epoch, if any. */
    public Optional<EpochState> newestActive() {
        return epochs.stream().filter(EpochState::isActive).reduce((a, b) -> b);
    }

    /**
     * The active epoch in force at unix second {@code second}: the one that took over last, not after it. Compared in
     * seconds because epochs may count labels in different step lengths.
     */
    public Optional<EpochState> coveringSecond(long second) {
        EpochState best = null;
        for (EpochState e : epochs) {
            if (e.isActive() && e.startSecond() <= second && (best == null || e.startSecond() > best.startSecond()
                    || e.startSecond() == best.startSecond() && e.epoch() > best.epoch())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The epoch whose key encrypts the step {@code label} of length {@code stepSeconds}: the epoch in force when the
     * step starts, and only if it counts labels in the same unit (a label means nothing in another epoch's unit).
     */
    public Optional<EpochState> keyFor(long label, int stepSeconds) {
        long start;
        try {
            start = Math.multiplyExact(label, (long) stepSeconds);
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
        return coveringSecond(start).filter(e -> e.stepSeconds() == stepSeconds);
    }

    public MeterState withEpochs(List<EpochState> next) {
        return new MeterState(meterId, groupId, next);
    }

    /** Replaces the epoch with the same number as {@code changed} (or adds it). */
    public MeterState with(EpochState changed) {
        List<EpochState> next = new ArrayList<>(epochs.stream().filter(e -> e.epoch() != changed.epoch()).toList());
        next.add(changed);
        return withEpochs(next);
    }

    @Override
    public String toString() {
        return "MeterState[meterId=" + meterId + ", groupId=" + groupId + ", epochs=" + epochs + "]";
    }
}
