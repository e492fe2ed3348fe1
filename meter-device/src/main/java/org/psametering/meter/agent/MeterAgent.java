package org.psametering.meter.agent;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.hardware.EnergySensor;
import org.psametering.meter.MeterListener;
import org.psametering.meter.StepTicker;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.store.EpochKeys;
import org.psametering.meter.store.EpochPhase;
import org.psametering.meter.store.EpochState;
import org.psametering.meter.store.MeterState;
import org.psametering.meter.store.StateStore;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One meter's protocol logic, free of any transport: it reacts to the group announcement, the key set and the end of
 * each time-step, and emits messages through an {@link Outbound}. The MQTT adapter feeds it inbound messages and
 * connection events; tests drive it directly.
 *
 * <p>Per epoch (docs/protocol.md): on an announcement of a new epoch it generates a PSA key and an X25519 pair, saves
 * them, and publishes the public key (retained); on the key set it publishes its blinded key (MAC'd); once the head-end
 * announces the epoch ACTIVE it encrypts every label from {@code activeFromLabel} on under that epoch, and earlier
 * labels under the previous one. Re-delivered retained messages after a reconnect or restart simply repeat the
 * idempotent steps, so no extra resume logic is needed.
 *
 * <p>Label safety: the label is saved as used before its ciphertext exists, and a label not after the saved one is
 * never encrypted (not even if the clock goes backwards), so (key, label) never repeats across restarts.
 *
 * <p>Thread-safety: events arrive from the MQTT callback thread and from step work on the worker executor; every
 * state change happens under this object's lock. {@link #tick()} only reads volatile fields.
 */
public final class MeterAgent implements StepTicker.Tickable {

    /** What the agent works with; the runtime (or a test) assembles it. */
    public record Setup(String meterId, String groupId, StateStore store, Outbox outbox, Outbound outbound, EnergySensor sensor,
                        Clock clock, Executor worker, MeterListener listener, SecureRandom random) {
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
        }
    }

    /** Messages in flight at once while draining the outbox; small, below any broker's receive maximum. */
    static final int SEND_WINDOW = 8;
    private static final Logger log = LoggerFactory.getLogger(MeterAgent.class);

    private final String meterId;
    private final String groupId;
    private final MeterId self;
    private final StateStore store;
    private final Outbox outbox;
    private final Outbound outbound;
    private final EnergySensor sensor;
    private final Clock clock;
    private final Executor worker;
    private final MeterListener listener;
    private final SecureRandom random;
    private final OutboxSender sender;
    private final Map<Long, EpochCrypto> crypto = new HashMap<>();
    private final AtomicBoolean stepWorkQueued = new AtomicBoolean();
    private final Runnable stepWork = this::runStepWork;

    private MeterState state;
    private boolean stopped;
    private volatile StepTracker tracker;
    private volatile int wantedStepSeconds; // 0 until an epoch is known

    private long encrypted;
    private long noKey;
    private long labelNotAfterLast;
    private long outOfRange;
    private long missedSteps;
    private long sensorErrors;
    private long rejectedMessages;

    /**
     * Loads the saved state (or starts fresh).
     *
     * @throws IllegalStateException if the saved state belongs to another meter or group
     */
    public MeterAgent(Setup setup) {
        this.meterId = setup.meterId();
        this.groupId = setup.groupId();
        this.self = new MeterId(meterId);
        this.store = setup.store();
        this.outbox = setup.outbox();
        this.outbound = setup.outbound();
        this.sensor = setup.sensor();
        this.clock = setup.clock();
        this.worker = setup.worker();
        this.listener = setup.listener();
        this.random = setup.random();
        this.sender = new OutboxSender(outbox, outbound, SEND_WINDOW);
        this.state = store.load().orElseGet(() -> MeterState.fresh(meterId, groupId));
        if (!state.meterId().equals(meterId) || !state.groupId().equals(groupId)) {
            throw new IllegalStateException("the data directory belongs to meter '" + state.meterId() + "' in group '"
                    + state.groupId() + "', not meter '" + meterId + "' in group '" + groupId
                    + "': give each meter and group its own data directory");
        }
        updateStepSeconds();
        if (state.lastLabel() != MeterState.NO_LABEL) {
            log.info("meter {}: resuming after label {} with {}", meterId, state.lastLabel(), state.epochs());
        }
    }

    public String meterId() {
        return meterId;
    }

    /** Topic filters the transport must subscribe to: the group's announcement and its key sets of any epoch. */
    public List<String> subscriptions() {
        return List.of(Topics.announce(groupId), Topics.ROOT + groupId + "/+/keyset");
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
                case ANNOUNCE -> onAnnouncement(GroupAnnouncement.fromJson(payload));
                case KEYSET -> onKeySet(parsed.epoch(), KeySetMessage.fromJson(payload));
                default -> log.debug("meter {}: ignoring {} (not for meters)", meterId, topic);
            }
        } catch (MalformedMessageException | MalformedEncodingException | IllegalArgumentException e) {
            rejectedMessages++;
            log.warn("meter {}: rejected message on {}: {}", meterId, topic, e.getMessage());
        } catch (RuntimeException e) {
            // e.g. the state could not be saved: thrown into Paho it would drop the connection; the retained message
            // comes again on the next reconnect or restart
            log.error("meter {}: handling the message on {} failed", meterId, topic, e);
        }
    }

    private void onAnnouncement(GroupAnnouncement a) {
        if (!a.group().equals(groupId)) {
            throw new MalformedMessageException("announcement names group " + a.group());
        }
        if (!a.members().contains(meterId)) {
            log.info("meter {}: not a member of group {} epoch {}; waiting", meterId, groupId, a.epoch());
            return;
        }
        PsaParameters params = PsaParameters.byName(a.params());
        Optional<EpochState> known = state.epoch(a.epoch());
        if (known.isEmpty()) {
            long newest = state.newest().map(EpochState::epoch).orElse(-1L);
            if (a.epoch() < newest) {
                log.debug("meter {}: ignoring announcement of old epoch {} (have {})", meterId, a.epoch(), newest);
            } else if (a.phase() == GroupPhase.ACTIVE) {
                rejectedMessages++;
                log.error("meter {}: epoch {} of group {} is active but this meter holds no key for it (data directory lost?);"
                        + " it can take part again once the head-end starts a new epoch", meterId, a.epoch(), groupId);
            } else {
                startEpoch(a, params);
            }
            return;
        }
        EpochState epoch = known.get();
        if (!Arrays.equals(epoch.headEndPublicKey(), a.headEndPublicKey()) || epoch.groupSize() != a.members().size()
                || !epoch.params().equals(a.params())) {
            throw new MalformedMessageException("announcement of epoch " + a.epoch()
                    + " differs from the one this meter joined (head-end key, members or parameters changed without a new epoch)");
        }
        if (a.phase() == GroupPhase.KEY_SETUP) {
            if (epoch.phase() == EpochPhase.KEY_SETUP) {
                publishPublicKey(epoch); // idempotent (retained); covers a publish lost before a restart or outage
            }
        } else if (!epoch.isActive()) {
            activate(epoch, a.activeFromLabel().orElseThrow());
        }
    }

    private void startEpoch(GroupAnnouncement a, PsaParameters params) {
        EpochKeys keys = new EpochKeys(PsaKey.generate(params, random), AgreementKeyPair.generate(random));
        EpochState epoch = new EpochState(a.epoch(), params.name(), a.stepSeconds(), a.members().size(), a.headEndPublicKey(),
                EpochPhase.KEY_SETUP, -1, keys);
        // an unfinished key setup of an older epoch is abandoned: the head-end has moved on
        List<EpochState> kept = new ArrayList<>(state.epochs().stream().filter(EpochState::isActive).toList());
        kept.add(epoch);
        // saved before the public key leaves: a restart must find this key pair, not make a second one for the epoch
        save(state.withEpochs(kept));
        dropUnusedCrypto();
        log.info("meter {}: joining group {} epoch {} ({} members, {})", meterId, groupId, a.epoch(), a.members().size(), params.name());
        publishPublicKey(epoch);
        updateStepSeconds();
    }

    private void publishPublicKey(EpochState epoch) {
        byte[] encoded = Encodings.encode(epoch.keys().agreementKey().publicKey());
        outbound.publish(Topics.publicKey(groupId, epoch.epoch(), meterId), encoded, true, Outbound.IGNORE);
    }

    private void onKeySet(long topicEpoch, KeySetMessage keySet) {
        if (keySet.epoch() != topicEpoch || !keySet.group().equals(groupId)) {
            throw new MalformedMessageException("key set for group " + keySet.group() + " epoch " + keySet.epoch()
                    + " published on the topic of epoch " + topicEpoch);
        }
        Optional<EpochState> known = state.epoch(keySet.epoch());
        if (known.isEmpty() || known.get().isActive()) {
            return; // not ours, or the head-end already has our blinded key
        }
        EpochState epoch = known.get();
        if (!keySet.params().equals(epoch.params()) || keySet.members().size() != epoch.groupSize()) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " does not match its announcement");
        }
        if (!keySet.members().contains(meterId)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " lacks this meter");
        }
        byte[] ours = Encodings.encode(epoch.keys().agreementKey().publicKey());
        if (!Arrays.equals(keySet.publicKey(meterId), ours)) {
            throw new MalformedMessageException("key set of epoch " + epoch.epoch() + " carries a public key for this meter"
                    + " that is not the one it published; not blinding");
        }
        BlindedKey blinded = KeySetup.blind(self, epoch.keys().agreementKey(), epoch.keys().psaKey(), toKeySet(keySet, epoch));
        byte[] payload = BlindedKeyMessage.seal(Encodings.encode(blinded), crypto(epoch).messageKey());
        if (epoch.phase() == EpochPhase.KEY_SETUP) {
            save(state.with(epoch.withPhase(EpochPhase.BLINDED_SENT)));
        }
        // re-sent whenever the retained key set arrives before activation; the blinded key is deterministic, so repeats agree
        outbound.publish(Topics.blindedKey(groupId, epoch.epoch(), meterId), payload, false, Outbound.IGNORE);
        log.info("meter {}: sent blinded key for epoch {}", meterId, epoch.epoch());
    }

    private KeySet toKeySet(KeySetMessage message, EpochState epoch) {
        SortedMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (String member : message.members()) {
            members.put(new MeterId(member), Encodings.decodePublicKey(message.publicKey(member)));
        }
        GroupContext group = new GroupContext(groupId, epoch.epoch(), epoch.groupSize(), PsaParameters.byName(epoch.params()));
        return new KeySet(group, members);
    }

    private void activate(EpochState epoch, long activeFromLabel) {
        EpochState active = epoch.activeFrom(activeFromLabel);
        save(state.with(active));
        log.info("meter {}: epoch {} active from label {}", meterId, epoch.epoch(), activeFromLabel);
        listener.onEpochActive(meterId, epoch.epoch(), activeFromLabel);
        updateStepSeconds();
    }

    /** Cheap check on the shared ticker thread; the step's real work runs on the worker executor. */
    @Override
    public void tick() {
        StepTracker t = tracker;
        boolean due = t == null ? wantedStepSeconds > 0 : t.stepEnded(clock.instant());
        if (due && stepWorkQueued.compareAndSet(false, true)) {
            worker.execute(stepWork);
        }
    }

    private void runStepWork() {
        try {
            stepWork();
        } catch (RuntimeException e) {
            log.error("meter {}: step work failed", meterId, e);
        } finally {
            stepWorkQueued.set(false);
        }
    }

    /** Starts tracking steps, or closes the step that ended: read the sensor, encrypt, queue, send. */
    synchronized void stepWork() {
        if (stopped) {
            return;
        }
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
        Optional<EpochState> key = state.keyFor(label);
        if (key.isEmpty()) {
            noKey++;
            log.info("meter {}: step {} ended with no active epoch; its reading is not sent", meterId, label);
            return;
        }
        if (label <= state.lastLabel()) {
            labelNotAfterLast++;
            log.warn("meter {}: step {} is not after the last used label {} (clock went backwards?); not encrypted", meterId,
                    label, state.lastLabel());
            return;
        }
        EpochState epoch = key.get();
        EpochCrypto c = crypto(epoch);
        if (wattHours > c.group().maxReading()) {
            outOfRange++;
            log.warn("meter {}: step {} used {} Wh, more than group {} can aggregate exactly ({}); not sent", meterId, label,
                    wattHours, groupId, c.group().maxReading());
            return;
        }
        // the label is burnt on disk before its ciphertext exists: a crash after this point can only lose the reading
        save(withoutSupersededEpochs(state.withLastLabel(label), label + 1));
        Ciphertext ct = c.encryptor().encrypt(label, wattHours);
        byte[] payload = CiphertextMessage.seal(Encodings.encode(ct, c.group().params()), c.messageKey());
        outbox.add(label, Topics.ciphertext(groupId, epoch.epoch(), meterId), payload);
        encrypted++;
        dropUnusedCrypto();
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

    private EpochCrypto crypto(EpochState epoch) {
        return crypto.computeIfAbsent(epoch.epoch(), e -> EpochCrypto.of(groupId, meterId, epoch, state.lastLabel()));
    }

    private void dropUnusedCrypto() {
        crypto.keySet().removeIf(e -> state.epoch(e).isEmpty());
    }

    private void save(MeterState next) {
        store.save(next);
        state = next;
    }

    /** Steps follow the newest active epoch's length (or the newest epoch's while none is active yet). */
    private void updateStepSeconds() {
        Optional<EpochState> basis = state.epochs().stream().filter(EpochState::isActive).reduce((a, b) -> b).or(state::newest);
        basis.ifPresent(e -> wantedStepSeconds = e.stepSeconds());
    }

    public synchronized MeterStats stats() {
        return new MeterStats(encrypted, noKey, labelNotAfterLast, outOfRange, missedSteps, sensorErrors, rejectedMessages,
                outbox.droppedCount(), outbox.size());
    }

    /** A copy of the current state (for tests and diagnostics; its toString never shows keys). */
    public synchronized MeterState state() {
        return state;
    }

    /**
     * Stops reacting to messages and steps (waiting for step work in progress) and saves pending outbox
     * acknowledgements; after this the state store may be closed.
     */
    public synchronized void stop() {
        stopped = true;
        sender.disconnected();
        outbox.flush();
    }
}
