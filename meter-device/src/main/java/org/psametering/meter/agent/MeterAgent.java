package org.psametering.meter.agent;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.hardware.EnergySensor;
import org.psametering.meter.MeterListener;
import org.psametering.meter.StepSkips;
import org.psametering.meter.StepTicker;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.store.MeterState;
import org.psametering.meter.store.StateStore;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One meter's protocol logic, free of any transport: it routes inbound messages to the key setup ({@link EpochJoiner}),
 * the end of each time-step to the {@link StepReporter}, and queued ciphertexts through the {@link OutboxSender}. The
 * MQTT adapter feeds it inbound messages and connection events; tests drive it directly.
 *
 * <p>Thread-safety: events arrive from the MQTT callback thread and from step work on the worker executor; every
 * state change happens under this object's lock. {@link #tick()} only reads volatile fields.
 */
public final class MeterAgent implements StepTicker.Tickable {

    /** What the agent works with; the runtime (or a test) assembles it. */
    public record Setup(String meterId, String groupId, StateStore store, Outbox outbox, Outbound outbound, EnergySensor sensor,
                        Clock clock, Executor worker, MeterListener listener, SecureRandom random, AnnouncementLimits limits,
                        RecoveryPolicy recovery, MeterTrust trust, StepSkips skips) {

        /** Every step reported, as a real meter does. */
        public Setup(String meterId, String groupId, StateStore store, Outbox outbox, Outbound outbound, EnergySensor sensor,
                     Clock clock, Executor worker, MeterListener listener, SecureRandom random, AnnouncementLimits limits,
                     RecoveryPolicy recovery, MeterTrust trust) {
            this(meterId, groupId, store, outbox, outbound, sensor, clock, worker, listener, random, limits, recovery, trust,
                    StepSkips.NONE);
        }

        /**
         * The smallest reporting set a meter helps to recover by default: big enough that a recovered sum does not
         * single out a household (config key {@code recovery.minReporting}, never below 2).
         */
        public static final int DEFAULT_MIN_REPORTING = 5;

        /** With the default {@link AnnouncementLimits} and recovery minimum. */
        public Setup(String meterId, String groupId, StateStore store, Outbox outbox, Outbound outbound, EnergySensor sensor,
                     Clock clock, Executor worker, MeterListener listener, SecureRandom random, MeterTrust trust) {
            this(meterId, groupId, store, outbox, outbound, sensor, clock, worker, listener, random, AnnouncementLimits.DEFAULT,
                    new RecoveryPolicy(DEFAULT_MIN_REPORTING), trust);
        }

        public Setup {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(outbox, "outbox");
            Objects.requireNonNull(outbound, "outbound");
            Objects.requireNonNull(sensor, "sensor");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(recovery, "recovery");
            Objects.requireNonNull(trust, "trust (identity, CA, head-end name): signatures are always checked");
            Objects.requireNonNull(skips, "skips");
        }
    }

    /** Messages in flight at once while draining the outbox; small, below any broker's receive maximum. */
    static final int SEND_WINDOW = 8;
    private static final Logger log = LoggerFactory.getLogger(MeterAgent.class);

    private final String meterId;
    private final String groupId;
    private final Outbox outbox;
    private final Executor worker;
    private final OutboxSender sender;
    private final AgentState state;
    private final EpochJoiner joiner;
    private final StepReporter reporter;
    private final RecoveryAnswerer recovery;
    private final NeighbourKeySets sparseKeySets;
    private final TrustGate trust;
    private final AtomicBoolean stepWorkQueued = new AtomicBoolean();
    private final Runnable stepWork = this::runStepWork;

    private final Map<AnnouncementRefusal, Long> refusals = new EnumMap<>(AnnouncementRefusal.class);
    private boolean stopped;
    private long rejectedMessages;
    private long failedSteps;

    /**
     * Loads the saved state (or starts fresh).
     *
     * @throws IllegalStateException if the saved state belongs to another meter or group
     */
    public MeterAgent(Setup setup) {
        this.meterId = setup.meterId();
        this.groupId = setup.groupId();
        this.outbox = setup.outbox();
        this.worker = setup.worker();
        this.sender = new OutboxSender(outbox, setup.outbound(), SEND_WINDOW);
        this.state = new AgentState(meterId, groupId, setup.store());
        this.reporter = new StepReporter(meterId, groupId, state, outbox, sender, setup.sensor(), setup.clock(), setup.listener(),
                setup.skips());
        this.trust = new TrustGate(meterId, groupId, setup.trust(), setup.limits());
        this.joiner = new EpochJoiner(meterId, groupId, state, setup.outbound(), setup.listener(), setup.random(),
                setup.limits(), trust);
        this.recovery = new RecoveryAnswerer(meterId, groupId, state, outbox, sender, setup.recovery(),
                setup.limits().sparseGraph());
        this.sparseKeySets = new NeighbourKeySets(meterId, groupId, state, trust, joiner, recovery);
        MeterState s = state.current();
        if (!s.epochs().isEmpty()) {
            log.info("meter {}: resuming with {}", meterId, s.epochs());
        }
    }

    public String meterId() {
        return meterId;
    }

    /**
     * Topic filters the transport must subscribe to: the group's announcement (newest epoch), the per-epoch
     * announcements (so an ACTIVE replaced on the group topic by the next epoch's KEY_SETUP while this meter was
     * offline still reaches it), the key sets of any epoch, this meter's own per-meter key sets (sparse mask graph) and
     * the recovery requests of any epoch.
     */
    public List<String> subscriptions() {
        return List.of(Topics.announce(groupId), Topics.epochAnnouncementsFilter(groupId), Topics.ROOT + groupId + "/+/keyset",
                Topics.meterKeySetsFilter(groupId, meterId), Topics.recoveryFilter(groupId));
    }

    /** The transport is (re)connected: send everything queued. */
    public void connected() {
        sender.connected();
    }

    public void disconnected() {
        sender.disconnected();
    }

    /** An inbound message. Anything malformed or inconsistent is counted and logged, never thrown at the transport. */
    public synchronized void onMessage(String topic, byte[] payload) {
        if (stopped || payload.length == 0) { // empty: a retained message being cleared
            return;
        }
        try {
            Topic parsed = Topics.parse(topic);
            if (!parsed.group().equals(groupId)) {
                throw new MalformedMessageException("message for group " + parsed.group() + ", this meter is in " + groupId);
            }
            switch (parsed.kind()) {
                case ANNOUNCE -> onAnnouncement(parsed, GroupAnnouncement.fromJson(trust.open(SignedMessage.Kind.ANNOUNCEMENT, payload)));
                case KEYSET -> onKeySet(parsed, trust.open(SignedMessage.Kind.KEY_SET, payload));
                case RECOVERY -> recovery.onRequest(parsed.epoch(),
                        RecoveryRequestMessage.fromJson(trust.open(SignedMessage.Kind.RECOVERY_REQUEST, payload)));
                default -> log.debug("meter {}: ignoring {} (not for meters)", meterId, topic);
            }
        } catch (RefusedByTrust e) {
            rejectedMessages++;
            trust.refused(e);
        } catch (RefusedAnnouncement e) {
            rejectedMessages++;
            refusals.merge(e.reason(), 1L, Long::sum);
            if (e.reason() == AnnouncementRefusal.NOT_A_MEMBER) {
                log.info("meter {}: group {}: {}", meterId, groupId, e.getMessage());
            } else {
                log.warn("meter {}: refused announcement ({}): {}", meterId, e.reason(), e.getMessage());
            }
        } catch (MalformedMessageException | MalformedEncodingException | IllegalArgumentException e) {
            rejectedMessages++;
            log.warn("meter {}: rejected message on {}: {}", meterId, LogText.cut(topic), LogText.cut(e.getMessage()));
        } catch (RuntimeException e) {
            // e.g. the state could not be saved: thrown into Paho it would drop the connection; the retained message
            // comes again on the next reconnect or restart
            log.error("meter {}: handling the message on {} failed", meterId, LogText.cut(topic), e);
        }
    }

    /** Nothing is derived from a key set before the {@link TrustGate} passed it for an epoch this meter joined. */
    private void onKeySet(Topic topic, byte[] body) {
        KeySetMessage keySet = KeySetMessage.fromJson(body);
        if (sparseKeySets.onKeySet(topic, keySet, body)) {
            return; // a per-meter key set, or any key set of a sparse-graph epoch
        }
        if (keySet.epoch() == topic.epoch()) { // else the joiner refuses it as malformed
            state.current().epoch(keySet.epoch()).ifPresent(epoch -> trust.checkKeySet(keySet, body, epoch));
        }
        joiner.onKeySet(topic.epoch(), keySet);
        recovery.onKeySet(keySet); // after the joiner: it checked the topic's epoch
    }

    private void onAnnouncement(Topic topic, GroupAnnouncement a) {
        boolean perEpoch = topic.epoch() >= 0;
        if (perEpoch && topic.epoch() != a.epoch()) {
            throw new MalformedMessageException("announcement of epoch " + a.epoch() + " on the topic of epoch " + topic.epoch());
        }
        try {
            trust.checkAnnouncement(a);
            joiner.onAnnouncement(a);
        } catch (RefusedAnnouncement e) {
            if (perEpoch && e.reason() == AnnouncementRefusal.STALE_EPOCH) {
                // the broker keeps every unretired epoch's announcement and hands them all over on each (re)subscribe;
                // an epoch this meter is past is expected there, not a refusal
                log.debug("meter {}: {}", meterId, e.getMessage());
                return;
            }
            throw e;
        }
    }

    /** Cheap check on the shared ticker thread; the step's real work runs on the worker executor. */
    @Override
    public void tick() {
        if (reporter.isDue() && stepWorkQueued.compareAndSet(false, true)) {
            worker.execute(stepWork);
        }
    }

    private void runStepWork() {
        try {
            stepWork();
        } catch (RuntimeException e) {
            // e.g. the state or outbox could not be saved (disk full): the step's reading is lost, so say so and count it
            synchronized (this) {
                failedSteps++;
            }
            log.error("meter {}: step work failed ({} so far); the step's reading is not sent", meterId, failedSteps, e);
        } finally {
            stepWorkQueued.set(false);
        }
    }

    /** Starts tracking steps, or closes the step that ended (see {@link StepReporter}). */
    synchronized void stepWork() {
        if (!stopped) {
            reporter.stepWork();
            recovery.forgetEndedEpochs(); // a step may have dropped a superseded epoch: its recovery seeds go with it
        }
    }

    public synchronized MeterStats stats() {
        return new MeterStats(reporter.encrypted(), reporter.noKey(), reporter.labelNotAfterLast(), reporter.outOfRange(),
                reporter.missedSteps(), reporter.sensorErrors(), rejectedMessages,
                outbox.droppedCount(), outbox.size(), refusals, failedSteps,
                joiner.stepsUnderSupersededEpoch(), recovery.answered(), recovery.repeated(), recovery.refusals(),
                reporter.skipped(), trust.refusals(), trust.lastRefusal(), java.util.List.of(), 0);
    }

    /** Epochs for which this meter holds pairwise seeds for recovery answers (tests: secrets go when the epoch does). */
    synchronized java.util.Set<Long> epochsWithRecoverySeeds() {
        return recovery.epochsWithSeeds();
    }

    /** A copy of the current state (for tests and diagnostics; its toString never shows keys). */
    public synchronized MeterState state() {
        return state.current();
    }

    /**
     * Stops reacting to messages and steps (waiting for step work in progress) and saves pending outbox
     * acknowledgements; after this the state store may be closed.
     */
    public synchronized void stop() {
        stopped = true;
        recovery.wipeAll();
        sender.disconnected();
        outbox.flush();
    }
}
