package org.psametering.headend;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head-end's protocol logic, free of any transport: routes inbound messages to their group, stores accepted
 * ciphertexts in one batch before acknowledging them, aggregates complete steps, records and publishes results,
 * and runs deadlines on {@link #tick()}.
 *
 * <p>Not thread-safe: one thread calls {@link #process}, {@link #tick} and {@link #reconfigure} ({@link CoreLoop} in
 * the application, the test thread in tests). {@link #statuses()} may be read from any thread.
 */
public final class HeadEndCore {
    private static final Logger LOG = LoggerFactory.getLogger(HeadEndCore.class);

    private final Clock clock;
    private final EpochStore epochStore;
    private final CiphertextStore ciphertextStore;
    private final ResultStore resultStore;
    private final Publisher publisher;
    private final SecureRandom random;
    private final RejectionCounters rejections = new RejectionCounters();
    private final IngestCounters counters = new IngestCounters();
    private final RateLimitedLog rejectionLog = new RateLimitedLog(LOG, 10_000_000_000L);
    private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, GroupCoordinator> groups = new LinkedHashMap<>();
    private volatile List<GroupStatus> statuses = List.of();

    public HeadEndCore(Clock clock, EpochStore epochStore, CiphertextStore ciphertextStore, ResultStore resultStore,
                       Publisher publisher, SecureRandom random) {
        this.clock = clock;
        this.epochStore = epochStore;
        this.ciphertextStore = ciphertextStore;
        this.resultStore = resultStore;
        this.publisher = publisher;
        this.random = random;
    }

    /** Opens a group (restoring its stored state) or applies changed settings to an open one. */
    public void reconfigure(GroupSettings settings) {
        GroupCoordinator existing = groups.get(settings.id());
        if (existing != null) {
            existing.reconfigure(settings);
        } else {
            GroupCoordinator coordinator = new GroupCoordinator(settings, epochStore, ciphertextStore, resultStore, publisher, random);
            groups.put(settings.id(), coordinator);
            record(coordinator.open(clock.instant()));
        }
        refreshStatuses();
    }

    /** Handles a batch of inbound messages; see the class comment for the order of store, ack and aggregation. */
    public void process(List<InboundMessage> batch) {
        Instant now = clock.instant();
        List<PendingCiphertext> accepted = new ArrayList<>();
        List<Runnable> acksAfterStore = new ArrayList<>();
        for (InboundMessage message : batch) {
            try {
                Topic topic = Topics.parse(message.topic());
                GroupCoordinator group = groups.get(topic.group());
                if (group == null) {
                    throw new Rejected(RejectReason.UNKNOWN_GROUP, "no group " + topic.group() + " (topic " + message.topic() + ")");
                }
                switch (topic.kind()) {
                    case CIPHERTEXT -> {
                        accepted.add(group.reserve(topic, message.payload(), now));
                        acksAfterStore.add(message.ack());
                        continue;
                    }
                    case PUBKEY -> {
                        // an empty retained message is an operator clearing an old key, not a key
                        if (message.payload().length > 0) {
                            group.onPublicKey(topic, message.payload(), now);
                        }
                    }
                    case BLINDED -> group.onBlindedKey(topic, message.payload(), now);
                    default -> {
                        // announce, keyset, result: our own publications; nothing to do
                    }
                }
                message.ack().run();
            } catch (MalformedMessageException e) {
                reject(RejectReason.MALFORMED, e.getMessage());
                message.ack().run();
            } catch (Rejected e) {
                reject(e.reason(), e.getMessage());
                message.ack().run();
            } catch (StorageException e) {
                // not acknowledged: the broker redelivers it after a reconnect
                LOG.error("{}: {}", message.topic(), e.getMessage());
            }
        }
        if (accepted.isEmpty()) {
            refreshStatuses();
            return;
        }
        try {
            ciphertextStore.insert(accepted);
        } catch (StorageException e) {
            LOG.error("{} ciphertexts not stored and not acknowledged: {}", accepted.size(), e.getMessage());
            accepted.forEach(p -> groups.get(p.group()).release(p));
            return;
        }
        acksAfterStore.forEach(Runnable::run);
        counters.accepted(accepted.size());
        List<StepResult> results = new ArrayList<>();
        Set<StepKey> steps = new LinkedHashSet<>();
        for (PendingCiphertext p : accepted) {
            steps.add(new StepKey(p.group(), p.epoch(), p.label()));
        }
        for (StepKey step : steps) {
            groups.get(step.group()).tryComplete(step.epoch(), step.label(), now).ifPresent(results::add);
        }
        record(results);
        refreshStatuses();
    }

    private record StepKey(String group, long epoch, long label) {
    }

    /** Deadlines: records INCOMPLETE steps and retires what left the late window. */
    public void tick() {
        Instant now = clock.instant();
        List<StepResult> results = new ArrayList<>();
        for (GroupCoordinator group : groups.values()) {
            results.addAll(group.closeExpired(now));
        }
        record(results);
        refreshStatuses();
    }

    private void record(List<StepResult> results) {
        if (results.isEmpty()) {
            return;
        }
        try {
            resultStore.save(results);
        } catch (StorageException e) {
            // the inputs stay stored as pending: the steps are re-aggregated after a restart
            LOG.error("{} results not recorded: {}", results.size(), e.getMessage());
            return;
        }
        for (StepResult result : results) {
            counters.recorded(result);
            publisher.publish(Topics.result(result.group()), result.toMessage().toJson(), false);
            for (ResultListener listener : listeners) {
                try {
                    listener.onResult(result);
                } catch (RuntimeException e) {
                    LOG.warn("result listener failed: {}", e.toString());
                }
            }
        }
    }

    private void reject(RejectReason reason, String message) {
        rejections.count(reason);
        rejectionLog.rejected(reason, message);
    }

    private void refreshStatuses() {
        List<GroupStatus> snapshot = new ArrayList<>(groups.size());
        groups.values().forEach(g -> snapshot.add(g.status()));
        statuses = List.copyOf(snapshot);
    }

    public void addListener(ResultListener listener) {
        listeners.add(listener);
    }

    public List<GroupStatus> statuses() {
        return statuses;
    }

    public RejectionCounters rejections() {
        return rejections;
    }

    public IngestCounters counters() {
        return counters;
    }

    public ResultStore results() {
        return resultStore;
    }
}
