package org.psametering.meter.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.hardware.EnergySensor;
import org.psametering.meter.MeterListener;
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

    private volatile StepTracker tracker;
    private volatile int wantedStepSeconds; // 0 until an epoch is known

    private long encrypted;
    private long noKey;
    private long labelNotAfterLast;
    private long outOfRange;
    private long missedSteps;
    private long sensorErrors;

    StepReporter(String meterId, String groupId, AgentState state, Outbox outbox, OutboxSender sender, EnergySensor sensor,
                 Clock clock, MeterListener listener) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.state = state;
        this.outbox = outbox;
        this.sender = sender;
        this.sensor = sensor;
        this.clock = clock;
        this.listener = listener;
        epochsChanged();
    }

    /** Cheap check for the shared ticker thread. */
    boolean isDue() {
        StepTracker t = tracker;
        return t == null ? wantedStepSeconds > 0 : t.stepEnded(clock.instant());
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
        StepTracker t = tracker;
        if (t == null || t.stepSeconds() != wantedStepSeconds) {
            tracker = new StepTracker(wantedStepSeconds, now, cumulativeWh);
            return;
        }
        if (!t.stepEnded(now)) {
            return;
        }
        StepTracker.StepEnd end = t.close(now, cumulativeWh);
        if (end.skippedSteps() > 0) {
            missedSteps += end.skippedSteps();
            log.warn("meter {}: {} step boundaries passed unnoticed; their energy is reported in label {}", meterId,
                    end.skippedSteps(), end.label());
        }
        if (end.counterReset()) {
            log.warn("meter {}: energy counter went backwards (sensor restarted?); step {} reports {} Wh", meterId, end.label(),
                    end.wattHours());
        }
        encryptStep(end.label(), end.wattHours());
    }

    private void encryptStep(long label, long wattHours) {
        MeterState s = state.current();
        Optional<EpochState> key = s.keyFor(label);
        if (key.isEmpty()) {
            noKey++;
            log.info("meter {}: step {} ended with no active epoch; its reading is not sent", meterId, label);
            return;
        }
        if (label <= s.lastLabel()) {
            labelNotAfterLast++;
            log.warn("meter {}: step {} is not after the last used label {} (clock went backwards?); not encrypted", meterId,
                    label, s.lastLabel());
            return;
        }
        EpochState epoch = key.get();
        EpochCrypto c = state.crypto(epoch);
        if (wattHours > c.group().maxReading()) {
            outOfRange++;
            log.warn("meter {}: step {} used {} Wh, more than group {} can aggregate exactly ({}); not sent", meterId, label,
                    wattHours, groupId, c.group().maxReading());
            return;
        }
        // the label is burnt on disk before its ciphertext exists: a crash after this point can only lose the reading
        state.save(withoutSupersededEpochs(s.withLastLabel(label), label + 1));
        Ciphertext ct = c.encryptor().encrypt(label, wattHours);
        byte[] payload = CiphertextMessage.seal(Encodings.encode(ct, c.group().params()), c.messageKey());
        outbox.add(label, Topics.ciphertext(groupId, epoch.epoch(), meterId), payload);
        encrypted++;
        listener.onReadingEncrypted(meterId, label, wattHours);
        sender.pump();
    }

    /** Drops active epochs that no label from {@code nextLabel} on can use (a newer epoch covers them). */
    private static MeterState withoutSupersededEpochs(MeterState s, long nextLabel) {
        Optional<EpochState> current = s.keyFor(nextLabel);
        if (current.isEmpty()) {
            return s;
        }
        long cover = current.get().activeFromLabel();
        return s.withEpochs(s.epochs().stream().filter(e -> !e.isActive() || e.activeFromLabel() >= cover).toList());
    }

    /** Steps follow the newest active epoch's length (or the newest epoch's while none is active yet). */
    void epochsChanged() {
        MeterState s = state.current();
        Optional<EpochState> basis = s.epochs().stream().filter(EpochState::isActive).reduce((a, b) -> b).or(s::newest);
        basis.ifPresent(e -> wantedStepSeconds = e.stepSeconds());
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
}
