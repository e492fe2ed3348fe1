package org.psametering.meter.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.hardware.EnergySensor;
import org.psametering.meter.MeterListener;
import org.psametering.meter.StepSkips;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.MeterState;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes each time-step: reads the sensor, works out the step's energy, encrypts it under the epoch that covers the
 * step, queues it in the outbox and starts sending.
 *
 * <p>Label safety: the label is saved as used before its ciphertext exists, and a label not after the saved one is
 * never encrypted (not even if the clock goes backwards), so (key, label) never repeats across restarts.
 *
 * <p>Not thread-safe: the agent calls it under its own lock; {@link #isDue} reads only volatile fields.
 */
final class StepReporter {

    private static final Logger log = LoggerFactory.getLogger(StepReporter.class);

    private final String meterId;
    private final String groupId;
    private final AgentState state;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final EnergySensor sensor;
    private final Clock clock;
    private final MeterListener listener;
    private final StepSkips skips;

    private volatile StepTracker tracker;

    private long encrypted;
    private long noKey;
    private long labelNotAfterLast;
    private long outOfRange;
    private long missedSteps;
    private long sensorErrors;
    private long skipped;

    StepReporter(String meterId, String groupId, AgentState state, Outbox outbox, OutboxSender sender, EnergySensor sensor,
                 Clock clock, MeterListener listener, StepSkips skips) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.state = state;
        this.outbox = outbox;
        this.sender = sender;
        this.sensor = sensor;
        this.clock = clock;
        this.listener = listener;
        this.skips = skips;
    }

    /** Cheap check for the shared ticker thread. */
    boolean isDue() {
        Instant now = clock.instant();
        int wanted = stepSecondsAt(state.current(), now);
        StepTracker t = tracker;
        return t == null ? wanted > 0 : t.stepEnded(now) || (wanted > 0 && wanted != t.stepSeconds());
    }

    /**
     * Steps follow the step length of the epoch in force now (the active one that took over last), or of the newest
     * epoch while none is in force yet; 0 while no epoch is known.
     */
    private static int stepSecondsAt(MeterState s, Instant now) {
        return s.coveringSecond(now.getEpochSecond()).or(s::newest).map(EpochState::stepSeconds).orElse(0);
    }

    /** Starts tracking steps, or closes the step that ended: read the sensor, encrypt, queue, send. */
    void stepWork() {
        Instant now = clock.instant();
        long cumulativeWh;
        try {
            cumulativeWh = sensor.read().cumulativeWattHours();
        } catch (RuntimeException e) {
            sensorErrors++;
            if (Long.bitCount(sensorErrors) == 1) { // 1st, 2nd, 4th, 8th ... failure: a dead sensor must not flood the log
                log.warn("meter {}: sensor read failed ({} so far; retrying on the next tick): {}", meterId, sensorErrors,
                        e.toString());
            }
            return;
        }
        MeterState s = state.current();
        int wanted = stepSecondsAt(s, now);
        StepTracker t = tracker;
        if (wanted == 0) {
            return;
        }
        if (t == null) {
            tracker = new StepTracker(wanted, now, cumulativeWh);
            return;
        }
        if (t.stepSeconds() == wanted) {
            if (t.stepEnded(now)) {
                report(t.close(now, cumulativeWh), t.stepSeconds());
            }
            return;
        }
        switchStepLength(t, s, wanted, now, cumulativeWh);
    }

    /**
     * The epoch in force now counts steps of another length. The head-end ends the old epoch at the new one's start
     * instant ({@code activeFrom * stepSeconds}), so every old-unit step that starts before that instant is the old
     * epoch's: the open step is reported (cut short if the switch falls inside it, so its energy is not lost), and
     * tracking restarts in the new length. New-unit steps that passed unnoticed since the switch are counted as missed.
     */
    private void switchStepLength(StepTracker t, MeterState s, int wanted, Instant now, long cumulativeWh) {
        Optional<EpochState> inForce = s.coveringSecond(now.getEpochSecond());
        long switchSecond = inForce.map(EpochState::startSecond).orElse(now.getEpochSecond());
        long lastOldLabel = Math.min(Math.floorDiv(switchSecond - 1, t.stepSeconds()),
                StepTracker.label(now, t.stepSeconds()));
        long baseline = t.baselineWh();
        if (lastOldLabel >= t.openLabel()) {
            report(t.closeForSwitch(lastOldLabel, cumulativeWh), t.stepSeconds());
            baseline = cumulativeWh;
        }
        // a clock that went back to before the switch finds no old-unit step to close: the energy stays in the next step
        tracker = new StepTracker(wanted, now, baseline);
        boolean switchedSinceOpen = inForce.isPresent() && switchSecond > t.openLabel() * t.stepSeconds();
        long unnoticed = switchedSinceOpen ? StepTracker.label(now, wanted) - inForce.get().activeFromLabel() : 0;
        if (unnoticed > 0) {
            missedSteps += unnoticed;
            log.warn("meter {}: {} steps of {} s passed unnoticed after the step length changed; not reported", meterId,
                    unnoticed, wanted);
        }
        log.info("meter {}: step length now {} s (was {} s)", meterId, wanted, t.stepSeconds());
    }

    private void report(StepTracker.StepEnd end, int stepSeconds) {
        if (end.skippedSteps() > 0) {
            missedSteps += end.skippedSteps();
            log.warn("meter {}: {} step boundaries passed unnoticed; their energy is reported in label {}", meterId,
                    end.skippedSteps(), end.label());
        }
        if (end.counterReset()) {
            log.warn("meter {}: energy counter went backwards (sensor restarted?); step {} reports {} Wh", meterId, end.label(),
                    end.wattHours());
        }
        encryptStep(end.label(), stepSeconds, end.wattHours());
    }

    private void encryptStep(long label, int stepSeconds, long wattHours) {
        MeterState s = state.current();
        Optional<EpochState> key = s.keyFor(label, stepSeconds);
        if (key.isEmpty()) {
            noKey++;
            log.info("meter {}: step {} ({} s) ended with no active epoch of that step length; its reading is not sent",
                    meterId, label, stepSeconds);
            return;
        }
        EpochState epoch = key.get();
        // (epoch key, label) must never repeat: labels are compared within the epoch, so in one unit
        if (label <= epoch.lastLabel()) {
            labelNotAfterLast++;
            log.warn("meter {}: step {} is not after the last label {} used with epoch {}'s key (clock went backwards?);"
                    + " not encrypted", meterId, label, epoch.lastLabel(), epoch.epoch());
            return;
        }
        EpochCrypto c = state.crypto(epoch);
        if (wattHours > c.group().maxReading()) {
            outOfRange++;
            log.warn("meter {}: step {} used {} Wh, more than group {} can aggregate exactly ({}); not sent", meterId, label,
                    wattHours, groupId, c.group().maxReading());
            return;
        }
        if (skips.skips(meterId, label)) {
            skipped++; // a simulated loss: nothing encrypted, nothing queued, the label stays unused
            log.debug("meter {}: step {} left unreported on purpose (simulated loss)", meterId, label);
            return;
        }
        // the label is burnt on disk before its ciphertext exists: a crash after this point can only lose the reading
        MeterState burnt = s.with(epoch.withLastLabel(label));
        state.save(withoutSupersededEpochs(burnt, Math.multiplyExact(label + 1, (long) stepSeconds)));
        Ciphertext ct = c.encryptor().encrypt(label, wattHours);
        byte[] payload = CiphertextMessage.seal(Encodings.encode(ct, c.group().params()), c.messageKey());
        outbox.add(label, Topics.ciphertext(groupId, epoch.epoch(), meterId), payload);
        encrypted++;
        listener.onReadingEncrypted(meterId, label, wattHours);
        sender.pump();
    }

    /** Drops active epochs that no step from {@code nextSecond} on can use (a newer epoch is in force by then). */
    private static MeterState withoutSupersededEpochs(MeterState s, long nextSecond) {
        Optional<EpochState> current = s.coveringSecond(nextSecond);
        if (current.isEmpty()) {
            return s;
        }
        long cover = current.get().startSecond();
        return s.withEpochs(s.epochs().stream().filter(e -> !e.isActive() || e.startSecond() >= cover).toList());
    }

    long encrypted() {
        return encrypted;
    }

    long noKey() {
        return noKey;
    }

    long labelNotAfterLast() {
        return labelNotAfterLast;
    }

    long outOfRange() {
        return outOfRange;
    }

    long missedSteps() {
        return missedSteps;
    }

    long sensorErrors() {
        return sensorErrors;
    }

    long skipped() {
        return skipped;
    }
}
