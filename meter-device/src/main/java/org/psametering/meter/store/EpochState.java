package org.psametering.meter.store;

import java.util.Optional;
import org.psametering.crypto.recovery.AnsweredRecovery;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the meter remembers about one epoch of its group.
 *
 * @param epoch            epoch number from the announcement
 * @param params           PSA parameter-set name
 * @param stepSeconds      time-step length of the epoch
 * @param groupSize        number of members (decides the largest reading that still aggregates exactly)
 * @param headEndPublicKey wire encoding of the head-end's X25519 key of the epoch (for the message MAC key)
 * @param phase            key-setup progress
 * @param activeFromLabel  first label encrypted under this epoch; meaningful only when {@code phase == ACTIVE}
 * @param keys             the secrets
 * @param lastLabel        the last label encrypted under this epoch's key ({@link MeterState#NO_LABEL} if none), in
 *                         this epoch's unit ({@code stepSeconds}); never encrypted again under this key
 * @param lastRecovery     the last recovery request answered under this epoch (saved BEFORE the answer leaves, so a
 *                         restart can never answer a second, different request for the same label), if any
 * @param sparseRow        the epoch's sparse mask graph and this meter's neighbours in it; empty for the complete graph
 */
public record EpochState(long epoch, String params, int stepSeconds, int groupSize, byte[] headEndPublicKey, EpochPhase phase,
                         long activeFromLabel, EpochKeys keys, long lastLabel, Optional<AnsweredRecovery> lastRecovery,
                         Optional<SparseRow> sparseRow) {

    /** An epoch over the complete mask graph. */
    public EpochState(long epoch, String params, int stepSeconds, int groupSize, byte[] headEndPublicKey, EpochPhase phase,
                      long activeFromLabel, EpochKeys keys, long lastLabel, Optional<AnsweredRecovery> lastRecovery) {
        this(epoch, params, stepSeconds, groupSize, headEndPublicKey, phase, activeFromLabel, keys, lastLabel, lastRecovery,
                Optional.empty());
    }

    public EpochState(long epoch, String params, int stepSeconds, int groupSize, byte[] headEndPublicKey, EpochPhase phase,
                      long activeFromLabel, EpochKeys keys, long lastLabel) {
        this(epoch, params, stepSeconds, groupSize, headEndPublicKey, phase, activeFromLabel, keys, lastLabel, Optional.empty());
    }

    /** A newly joined epoch: nothing encrypted under its (fresh) key yet. */
    public EpochState(long epoch, String params, int stepSeconds, int groupSize, byte[] headEndPublicKey, EpochPhase phase,
                      long activeFromLabel, EpochKeys keys) {
        this(epoch, params, stepSeconds, groupSize, headEndPublicKey, phase, activeFromLabel, keys, MeterState.NO_LABEL);
    }

    public EpochState {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(lastRecovery, "lastRecovery");
        Objects.requireNonNull(sparseRow, "sparseRow");
        if (sparseRow.isPresent() && sparseRow.get().neighbours().size() >= groupSize) {
            throw new IllegalArgumentException(sparseRow.get().neighbours().size() + " neighbours in a group of " + groupSize);
        }
        if (lastRecovery.isPresent() && lastRecovery.get().epoch() != epoch) {
            throw new IllegalArgumentException("answered recovery of epoch " + lastRecovery.get().epoch() + " kept in epoch " + epoch);
        }
        if (epoch < 0 || stepSeconds < 1 || groupSize < 1) {
            throw new IllegalArgumentException("epoch state out of range: epoch " + epoch + ", stepSeconds " + stepSeconds
                    + ", groupSize " + groupSize);
        }
        headEndPublicKey = headEndPublicKey.clone();
    }

    @Override
    public byte[] headEndPublicKey() {
        return headEndPublicKey.clone();
    }

    /** Whether this epoch masks over a sparse graph (its per-meter key set lists this meter's neighbours only). */
    public boolean isSparse() {
        return sparseRow.isPresent();
    }

    public boolean isActive() {
        return phase == EpochPhase.ACTIVE;
    }

    public EpochState withPhase(EpochPhase next) {
        return new EpochState(epoch, params, stepSeconds, groupSize, headEndPublicKey, next, activeFromLabel, keys, lastLabel, lastRecovery, sparseRow);
    }

    public EpochState activeFrom(long label) {
        return new EpochState(epoch, params, stepSeconds, groupSize, headEndPublicKey, EpochPhase.ACTIVE, label, keys, lastLabel, lastRecovery, sparseRow);
    }

    /** Records {@code label} as encrypted under this epoch's key. */
    public EpochState withLastLabel(long label) {
        return new EpochState(epoch, params, stepSeconds, groupSize, headEndPublicKey, phase, activeFromLabel, keys, label, lastRecovery, sparseRow);
    }

    /** Records that {@code answered} is (about to be) answered: saved before the answer is queued. */
    public EpochState withLastRecovery(AnsweredRecovery answered) {
        return new EpochState(epoch, params, stepSeconds, groupSize, headEndPublicKey, phase, activeFromLabel, keys, lastLabel,
                Optional.of(answered), sparseRow);
    }

    /**
     * Unix second at which this epoch's key takes over ({@code activeFromLabel * stepSeconds}); meaningful only when
     * active. Saturates instead of overflowing for absurd labels, so such an epoch simply never starts.
     */
    public long startSecond() {
        long high = Math.multiplyHigh(activeFromLabel, stepSeconds);
        long product = activeFromLabel * stepSeconds;
        return high == 0 && product >= 0 ? product : Long.MAX_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochState e && e.epoch == epoch && e.params.equals(params) && e.stepSeconds == stepSeconds
                && e.groupSize == groupSize && Arrays.equals(e.headEndPublicKey, headEndPublicKey) && e.phase == phase
                && e.activeFromLabel == activeFromLabel && e.keys == keys && e.lastLabel == lastLabel
                && e.lastRecovery.equals(lastRecovery) && e.sparseRow.equals(sparseRow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, params, phase, activeFromLabel);
    }

    @Override
    public String toString() {
        return "EpochState[epoch=" + epoch + ", params=" + params + ", stepSeconds=" + stepSeconds + ", groupSize=" + groupSize
                + ", phase=" + phase + (isActive() ? ", activeFromLabel=" + activeFromLabel : "")
                + ", lastLabel=" + (lastLabel == MeterState.NO_LABEL ? "none" : lastLabel)
                + lastRecovery.map(r -> ", lastRecoveryLabel=" + r.label()).orElse("")
                + sparseRow.map(r -> ", sparse graph with " + r.neighbours().size() + " neighbours").orElse("") + "]";
    }
}
