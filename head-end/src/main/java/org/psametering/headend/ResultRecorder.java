package org.psametering.headend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records step results: the database first (unpublished), then memory (the caller's collectors may forget the
 * step), then listeners and the publication, then the published mark. Results not marked published (a failed
 * publish, a crash in between, or at start) are published again from the database by {@link #publishOutbox}.
 */
final class ResultRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ResultRecorder.class);

    private final ResultStore store;
    private final Publisher publisher;
    private final IngestCounters counters;
    private final List<ResultListener> listeners;
    private final StorageWatch storage;
    /** True while the outbox may hold unpublished results (at start: a crash may have left some). */
    private boolean outboxMayHoldResults = true;

    ResultRecorder(ResultStore store, Publisher publisher, IngestCounters counters, List<ResultListener> listeners, StorageWatch storage) {
        this.store = store;
        this.publisher = publisher;
        this.counters = counters;
        this.listeners = listeners;
        this.storage = storage;
    }

    /** Stores, then tells {@code inMemory} of each result, then publishes. Nothing changes if the store fails. */
    void record(List<StepResult> results, Consumer<StepResult> inMemory) {
        if (results.isEmpty()) {
            return;
        }
        try {
            store.save(results);
        } catch (GroupFence.FencedOut e) {
            // another instance owns the group now and aggregates these steps from the stored inputs; the database is fine
            LOG.warn("{} results not recorded: {}", results.size(), e.getMessage());
            return;
        } catch (StorageException e) {
            // memory is unchanged: the steps are offered again at the next deadline scan, their inputs stay stored
            storage.failed(e);
            LOG.error("{} results not recorded: {}", results.size(), e.getMessage());
            return;
        }
        storage.ok();
        for (StepResult result : results) {
            inMemory.accept(result);
            counters.recorded(result);
            for (ResultListener listener : listeners) {
                try {
                    listener.onResult(result);
                } catch (RuntimeException e) {
                    LOG.warn("result listener failed: {}", e.toString());
                }
            }
        }
        publish(results);
    }

    /** A group was taken over: results another instance stored may await publication. */
    void outboxMayHoldResults() {
        outboxMayHoldResults = true;
    }

    /** Publishes what was recorded but not published yet (cheap when nothing is: no query then). */
    void publishOutbox() {
        if (!outboxMayHoldResults) {
            return;
        }
        outboxMayHoldResults = false;
        try {
            List<StepResult> pending = store.unpublished();
            if (!pending.isEmpty()) {
                LOG.info("publishing {} recorded results that were not published yet", pending.size());
                publish(pending);
            }
        } catch (StorageException e) {
            outboxMayHoldResults = true;
            LOG.warn("cannot read unpublished results: {}", e.getMessage());
        }
    }

    private void publish(List<StepResult> results) {
        List<StepResult> done = new ArrayList<>(results.size());
        for (StepResult result : results) {
            try {
                publisher.publish(Topics.result(result.group()), result.toMessage().toJson(), false);
                done.add(result);
            } catch (RuntimeException e) {
                outboxMayHoldResults = true;
                LOG.warn("result {}/{}/{} not published yet: {}", result.group(), result.epoch(), result.label(), e.toString());
            }
        }
        try {
            store.markPublished(done);
        } catch (StorageException e) {
            // they are published again later: a subscriber may see a result twice, never miss one
            outboxMayHoldResults = true;
            LOG.warn("{} results published but not marked: {}", done.size(), e.getMessage());
        }
    }
}
