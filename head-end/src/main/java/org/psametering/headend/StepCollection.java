package org.psametering.headend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochCollector;
import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochRecovery;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.RecoveryAnswerStore;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.ForgedMessageException;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collectors of a group's active epochs: verifies and reserves ciphertexts, completes steps, and runs deadlines
 * (INCOMPLETE steps, purge of stored ciphertexts that left the late window, retirement of ended epochs).
 */
final class StepCollection {
    private static final Logger LOG = LoggerFactory.getLogger(StepCollection.class);

    private final String group;
    private final CiphertextStore ciphertextStore;
    private final TreeMap<Long, EpochCollector> collectors = new TreeMap<>();
    private final Map<Long, Long> purgedBefore = new HashMap<>();
    private final Publisher publisher;
    /** A request publication failed: every open request is published again at the next deadline scan. */
    private boolean requestsUnsent;

    StepCollection(String group, CiphertextStore ciphertextStore, Publisher publisher) {
        this.group = group;
        this.ciphertextStore = ciphertextStore;
        this.publisher = publisher;
    }

    EpochCollector start(EpochKeySetup setup, GroupSettings settings) {
        Optional<EpochRecovery> recovery = EpochRecovery.of(setup, settings.minReporting(), settings.recoveryWindowSeconds());
        if (recovery.isEmpty()) {
            LOG.info("group {}: epoch {} ({}) cannot recover steps with missing meters; they stay INCOMPLETE", group,
                    setup.context().epoch(), setup.context().params().name());
        }
        EpochCollector collector = new EpochCollector(setup, settings.deadlineSeconds(), settings.lateWindowSeconds(), recovery);
        collectors.put(setup.context().epoch(), collector);
        return collector;
    }

    EpochCollector get(long epoch) {
        return collectors.get(epoch);
    }

    /** Collectors of epochs older than {@code epoch}, oldest first. */
    Iterable<EpochCollector> olderThan(long epoch) {
        return collectors.headMap(epoch).values();
    }

    void forget(long epoch) {
        collectors.remove(epoch);
    }

    /** Verifies and reserves a ciphertext; the caller stores it, acknowledges, then asks {@link #resultAfterStore}. */
    PendingCiphertext reserve(EpochKeySetup setup, String meter, byte[] payload, Instant now) {
        long epoch = setup.context().epoch();
        EpochCollector collector = collectors.get(epoch);
        if (collector == null) {
            throw new Rejected(RejectReason.WRONG_EPOCH, "epoch " + epoch + " of " + group + " is not collecting (phase "
                    + setup.phase() + ")");
        }
        MessageKey key = setup.messageKey(meter);
        if (key == null) {
            throw new Rejected(RejectReason.UNKNOWN_METER, "meter " + meter + " is not a member of " + group + "/" + epoch);
        }
        Ciphertext ciphertext;
        try {
            byte[] body = CiphertextMessage.parse(payload).verify(key).ciphertextEncoding();
            ciphertext = Encodings.decodeCiphertext(body, setup.context().params());
        } catch (MalformedMessageException | MalformedEncodingException e) {
            throw new Rejected(RejectReason.MALFORMED, "ciphertext of meter " + meter + ": " + e.getMessage());
        } catch (ForgedMessageException e) {
            throw new Rejected(RejectReason.FORGED, "ciphertext of meter " + meter + ": " + e.getMessage());
        }
        collector.reserve(meter, ciphertext, now);
        return new PendingCiphertext(group, epoch, meter, ciphertext);
    }

    void release(PendingCiphertext pending) {
        EpochCollector collector = collectors.get(pending.epoch());
        if (collector != null) {
            collector.release(pending.meter(), pending.label());
        }
    }

    void markStored(PendingCiphertext pending) {
        EpochCollector collector = collectors.get(pending.epoch());
        if (collector != null) {
            collector.markStored(pending.meter(), pending.label());
        }
    }

    Optional<StepResult> resultAfterStore(long epoch, long label, Instant now) {
        EpochCollector collector = collectors.get(epoch);
        return collector == null ? Optional.empty() : resultAfterStore(collector, label, now);
    }

    Optional<StepResult> resultAfterStore(EpochCollector collector, long label, Instant now) {
        Optional<StepResult> result = collector.resultAfterStore(label, now);
        result.filter(r -> r.reason().isPresent()).ifPresent(r -> LOG.error(
                "group {}: epoch {} label {}: every member reported but the aggregation failed; recorded INCOMPLETE ({})",
                group, collector.epoch(), label, r.reason().get()));
        return result;
    }

    /**
     * A result is stored: its collector may now forget the step's inputs; a stored RECOVERING result is the durable
     * recovery request, published only now (not retained: a request concerns one window; it is published again after
     * a restart or reconnect while it waits).
     */
    void recorded(StepResult result) {
        EpochCollector collector = collectors.get(result.epoch());
        if (collector != null) {
            collector.recorded(result);
            if (result.status() == ResultStatus.RECOVERING) {
                publishRequest(new RecoveryRequestMessage(group, result.epoch(), result.label(), result.missing()));
                LOG.info("group {}: epoch {} label {}: {} reported, {} missing; recovery requested", group, result.epoch(),
                        result.label(), result.reported(), result.missing().size());
            } else if (result.status() == ResultStatus.RECOVERED) {
                LOG.info("group {}: epoch {} label {}: recovered over the {} reporting meters ({} missing)", group,
                        result.epoch(), result.label(), result.reported(), result.missing().size());
            } else if (result.reason().filter(r -> r != ResultReason.AGGREGATION_FAILED).isPresent()) {
                LOG.warn("group {}: epoch {} label {}: recovery ended without a sum ({})", group, result.epoch(),
                        result.label(), result.reason().get());
            }
        }
    }

    /** A checked recovery answer of one of this group's epochs, not kept yet. */
    record StagedAnswer(long epoch, EpochRecovery.CheckedAnswer checked) {
    }

    /**
     * Checks a recovery answer and commits it (not forced to disk: the caller forces the batch once, then calls
     * {@link #keepRecoveryAnswer}). Throws {@link Rejected}, or {@link org.psametering.headend.store.StorageException}.
     */
    StagedAnswer checkRecoveryAnswer(long epoch, String meter, byte[] payload) {
        EpochCollector collector = collectors.get(epoch);
        if (collector == null) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + meter + " for epoch " + epoch + " of "
                    + group + ", which is not collecting");
        }
        return new StagedAnswer(epoch, collector.checkRecoveryAnswer(meter, payload));
    }

    void storeRecoveryAnswer(StagedAnswer staged) {
        EpochRecovery.CheckedAnswer a = staged.checked();
        ciphertextStore.recoveryAnswers().insert(group, staged.epoch(), a.label(), a.meter(), a.payload());
    }

    /** A staged answer that is durable now: kept in memory; the final result when it was the last one. */
    Optional<StepResult> keepRecoveryAnswer(StagedAnswer staged, Instant now) {
        EpochCollector collector = collectors.get(staged.epoch());
        if (collector == null) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + staged.checked().meter()
                    + " for epoch " + staged.epoch() + " of " + group + ", which stopped collecting");
        }
        return collector.keepRecoveryAnswer(staged.checked(), now);
    }

    /** After a restart: the answers stored for the epoch's open recoveries. */
    void restoreAnswers(EpochCollector collector) {
        for (RecoveryAnswerStore.StoredAnswer a : ciphertextStore.recoveryAnswers().load(group, collector.epoch())) {
            collector.restoreAnswer(a.meter(), a.payload());
        }
    }

    /** Publishes every open recovery request again (after a restart or a reconnect). */
    void republishRequests() {
        for (EpochCollector collector : collectors.values()) {
            collector.openRecoveryRequests().forEach(this::publishRequest);
        }
    }

    /**
     * Never throws: a failed publication must not stop the caller from applying the other stored results; every open
     * request goes out again at the next deadline scan (meters answer the identical request once, so a repeat costs
     * nothing).
     */
    private void publishRequest(RecoveryRequestMessage request) {
        try {
            publisher.publish(Topics.recovery(group, request.epoch()), request.toJson(), false);
        } catch (RuntimeException e) {
            requestsUnsent = true;
            LOG.warn("group {}: recovery request of epoch {} label {} not published yet (again at the next tick): {}", group,
                    request.epoch(), request.label(), e.toString());
        }
    }

    /** Deadline processing: the results due (the caller records them, then calls {@link #purgeAndRetire}). */
    List<StepResult> closeExpired(Instant now) {
        if (requestsUnsent) {
            requestsUnsent = false;
            republishRequests();
        }
        List<StepResult> results = new ArrayList<>();
        for (EpochCollector collector : collectors.values()) {
            results.addAll(collector.closeExpired(now));
        }
        return results;
    }

    /**
     * Deletes stored ciphertexts no step needs any more, then retires the epochs with nothing left to accept or record,
     * telling {@code retired} of each as it goes: a later epoch's failed purge (thrown) must not lose the retirement of
     * an earlier one, which is gone from here and would never be told again (its blinded keys and retained messages
     * would stay until a restart).
     */
    void purgeAndRetire(Instant now, LongConsumer retired) {
        for (var it = collectors.entrySet().iterator(); it.hasNext(); ) {
            EpochCollector collector = it.next().getValue();
            long purgeBefore = collector.purgeBefore(now);
            if (purgedBefore.getOrDefault(collector.epoch(), Long.MIN_VALUE) < purgeBefore) {
                ciphertextStore.deleteBefore(group, collector.epoch(), purgeBefore);
                ciphertextStore.recoveryAnswers().deleteBefore(group, collector.epoch(), purgeBefore);
                ciphertextStore.refusals().deleteBefore(group, collector.epoch(), purgeBefore);
                purgedBefore.put(collector.epoch(), purgeBefore);
            }
            if (collector.finished(now)) {
                it.remove();
                retired.accept(collector.epoch());
            }
        }
    }

    List<Long> collectingEpochs() {
        return List.copyOf(collectors.keySet());
    }

    int pendingCount() {
        return collectors.values().stream().mapToInt(EpochCollector::pendingCount).sum();
    }
}
