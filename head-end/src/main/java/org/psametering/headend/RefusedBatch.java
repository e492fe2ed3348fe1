package org.psametering.headend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.Rejected;
import org.psametering.headend.store.RefusalStore;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentic ciphertexts of one inbound batch that were refused by rule (AFTER_RECOVERY), with what acknowledges
 * each. Their record (which meter, which label, why) is stored before the refusals are counted and acknowledged: an
 * acknowledged ciphertext is then either stored or recorded as refused, never silently gone. If the record cannot be
 * stored, nothing of it is acknowledged and the broker delivers it again.
 */
final class RefusedBatch {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedBatch.class);

    private final List<Rejected> rejections = new ArrayList<>();
    private final List<Runnable> acks = new ArrayList<>();

    void add(Rejected refusal, Runnable ack) {
        if (refusal.refused().isEmpty()) {
            throw new IllegalArgumentException("not a recorded refusal: " + refusal.getMessage());
        }
        rejections.add(refusal);
        acks.add(ack);
    }

    /** Stores the records, then counts each refusal through {@code count} and acknowledges it. */
    void record(RefusalStore store, StorageWatch storage, BiConsumer<RejectReason, String> count, Instant now) {
        if (rejections.isEmpty()) {
            return;
        }
        try {
            store.insert(rejections.stream().map(e -> e.refused().orElseThrow()).toList(), now.toEpochMilli());
        } catch (StorageException e) {
            storage.failed(e);
            LOG.error("{} refused ciphertexts not recorded and not acknowledged: {}", rejections.size(), e.getMessage());
            return;
        }
        storage.ok();
        rejections.forEach(e -> count.accept(e.reason(), e.getMessage()));
        acks.forEach(Runnable::run);
    }
}
