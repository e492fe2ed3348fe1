package org.psametering.headend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.RecoveryAnswerStore;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of one inbound batch's recovery answers: each is checked and committed as it comes, all are forced to
 * disk once, and only then kept in memory and acknowledged (db → memory → ack). One forced write per answer made the
 * last answer of 990 wait seconds for its sum. If the forced write fails nothing is kept or acknowledged: the broker
 * delivers the answers again, storing them again replaces their rows, and they are kept after the next forced write.
 */
final class RecoveryAnswerBatch {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryAnswerBatch.class);

    /** What the core does with an answer found unusable only when it is kept (counted, acknowledged). */
    @FunctionalInterface
    interface Refusal {
        void refused(String topic, Rejected rejected, Runnable ack);
    }

    private record Staged(String topic, GroupCoordinator group, StepCollection.StagedAnswer answer, Runnable ack) {
    }

    private record AnswerKey(String group, long epoch, long label, String meter) {
    }

    private final RecoveryAnswerStore store;
    private final StorageWatch storage;
    private final List<Staged> staged = new ArrayList<>();
    private final Set<AnswerKey> inBatch = new HashSet<>();
    private final List<Staged> copies = new ArrayList<>();

    RecoveryAnswerBatch(RecoveryAnswerStore store, StorageWatch storage) {
        this.store = store;
        this.storage = storage;
    }

    /**
     * Checks and commits one answer. A second copy of an answer staged in this batch is not stored again: it is
     * counted as DUPLICATE and acknowledged once the first copy is durable. Throws {@link Rejected} or
     * {@link StorageException} (the caller handles either for this message alone).
     */
    void stage(InboundMessage message, Topic topic, GroupCoordinator group) {
        StepCollection.StagedAnswer answer = group.checkRecoveryAnswer(topic, message.payload());
        Staged s = new Staged(message.topic(), group, answer, message.ack());
        if (!inBatch.add(new AnswerKey(topic.group(), answer.epoch(), answer.checked().label(), answer.checked().meter()))) {
            copies.add(s);
            return;
        }
        group.storeRecoveryAnswer(answer);
        staged.add(s);
    }

    /** Forces the batch's answers to disk, then keeps and acknowledges them; returns the final results they complete. */
    List<StepResult> forceThenKeep(Instant now, Refusal refusal) {
        List<StepResult> results = new ArrayList<>();
        if (staged.isEmpty()) {
            return results;
        }
        try {
            store.forceCommitted();
        } catch (StorageException e) {
            storage.failed(e);
            LOG.error("{} recovery answers not acknowledged (their forced write failed; the broker delivers them again): {}",
                    staged.size() + copies.size(), e.getMessage());
            return results;
        }
        storage.ok();
        for (Staged s : staged) {
            try {
                s.group().keepRecoveryAnswer(s.answer(), now).ifPresent(results::add);
                s.ack().run();
            } catch (Rejected e) {
                refusal.refused(s.topic(), e, s.ack());
            } catch (RuntimeException e) {
                // a defect must not cost the rest of the batch; this answer stays unacknowledged
                LOG.error("{}: recovery answer not kept, left unacknowledged: {}", LogIds.id(s.topic()), e.toString(), e);
            }
        }
        for (Staged copy : copies) {
            refusal.refused(copy.topic(), new Rejected(RejectReason.DUPLICATE, "a second copy of the recovery answer of "
                    + copy.answer().checked().meter() + " in the same batch"), copy.ack());
        }
        return results;
    }
}
